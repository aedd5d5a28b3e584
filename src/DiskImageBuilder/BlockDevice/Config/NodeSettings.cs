using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// Reads the settings map of one node (or one list entry such as a partition) and turns every misfit into a
/// DIB3010 at the line of the offending value. Keys that name a node type are the node's children in tree
/// notation and are handed back by <see cref="Children"/> instead of being read as settings.
/// </summary>
internal sealed class NodeSettings
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _settings = new(StringComparer.Ordinal);
    private readonly List<(string Kind, YamlNode Key, YamlNode Value)> _children = [];

    public NodeSettings(string source, YamlNode keyOrEntry, YamlNode value, string node, bool allowChildren)
    {
        Source = source;
        Node = node;
        Line = (int)keyOrEntry.Start.Line;
        // A bare 'fstab:' in tree notation means "all defaults", like 'fstab: {}'.
        var map = value as YamlMappingNode ?? (YamlFile.IsNull(value) ? new YamlMappingNode() : throw BlockDeviceConfigErrors.At(
            ErrorCodes.BlockDeviceConfigMalformed, source, (int)value.Start.Line, node,
            "its settings must be a map of keys to values, e.g. '{ name: root, ... }'."));
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { Length: > 0 } text } && !YamlFile.IsNull(keyNode)
                ? text
                : throw Error(keyNode, "has a key that is not a plain name.");
            if (allowChildren && BlockDeviceConfigParser.NodeKinds.Contains(key, StringComparer.Ordinal))
                _children.Add((key, keyNode, valueNode));
            else
                _settings.Add(key, (keyNode, valueNode));
        }
    }

    public string Source { get; }

    /// <summary>How errors name the node; set to <c>kind 'name'</c> once the name is known.</summary>
    public string Node { get; set; }

    /// <summary>The line of the node's key or list entry.</summary>
    public int Line { get; }

    /// <summary>The nested nodes of tree notation, in document order.</summary>
    public IReadOnlyList<(string Kind, YamlNode Key, YamlNode Value)> Children => _children;

    public bool Has(string key) => _settings.TryGetValue(key, out var entry) && !YamlFile.IsNull(entry.Value);

    /// <summary>The node a setting's errors should point at: its value, or the node's own line when it is absent.</summary>
    public YamlNode? ValueNode(string key) => _settings.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>The setting's text, or null when it is absent or null.</summary>
    public string? Scalar(string key)
    {
        if (!_settings.TryGetValue(key, out var entry) || YamlFile.IsNull(entry.Value))
            return null;
        return entry.Value is YamlScalarNode { Value: { } text } && text.Trim().Length > 0
            ? text.Trim()
            : throw Error(entry.Value, $"'{key}' must be a single value.");
    }

    /// <summary>
    /// The node's own <c>name</c>, or null. As in diskimage-builder, a name may hold blanks (a GPT partition name is
    /// written as it is); where the SDK derives a label from it, blanks become <c>_</c>. A <c>/</c>, a line break or
    /// other control character, and the directory names <c>.</c> and <c>..</c> are refused.
    /// </summary>
    public string? Name()
    {
        var name = Scalar("name");
        if (name is not null && (name is "." or ".." || name.Any(c => char.IsControl(c) || c == '/')))
            throw Error(ValueNode("name"), $"'{name}' cannot be a name: a name may not contain '/' or control characters, or be '.' or '..'.");
        return name;
    }

    public string RequiredName(string example) => Name() ?? throw Error(ValueNode("name"), $"needs 'name', e.g. 'name: {example}'.");

    public string Required(string key, string example) =>
        Scalar(key) ?? throw Error(ValueNode(key), $"needs '{key}', e.g. '{key}: {example}'.");

    /// <summary>A list of names or words; a single value counts as a list of one.</summary>
    public ValueList<string> List(string key)
    {
        if (!_settings.TryGetValue(key, out var entry) || YamlFile.IsNull(entry.Value))
            return ValueList<string>.Empty;
        if (entry.Value is YamlScalarNode)
            return [Scalar(key)!];
        if (entry.Value is not YamlSequenceNode sequence)
            throw Error(entry.Value, $"'{key}' must be a value or a list of values.");
        return new ValueList<string>(sequence.Children.Select(item =>
            item is YamlScalarNode { Value: { } text } && !YamlFile.IsNull(item) && text.Trim().Length > 0
                ? text.Trim()
                : throw Error(item, $"'{key}' must list plain values.")));
    }

    /// <summary>The items of a list setting, e.g. <c>partitions</c>; an empty list is an error.</summary>
    public IReadOnlyList<YamlNode> Entries(string key, string example)
    {
        var value = ValueNode(key);
        if (value is null || YamlFile.IsNull(value))
            throw Error(value, $"needs '{key}', a list, e.g. '{key}: [ {example} ]'.");
        return value is YamlSequenceNode { Children.Count: > 0 } sequence
            ? sequence.Children.ToList()
            : throw Error(value, $"'{key}' must be a non-empty list, e.g. '{key}: [ {example} ]'.");
    }

    public int? Integer(string key)
    {
        var text = Scalar(key);
        if (text is null)
            return null;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(ValueNode(key), $"'{key}' must be a whole number of 0 or more, not '{text}'.");
    }

    /// <summary>Rejects settings outside <paramref name="known"/>, which catches typos such as <c>mount-point</c>.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var (key, (keyNode, _)) in _settings)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
                throw Error(keyNode, $"has the unknown key '{key}'. The keys here are: {string.Join(", ", known)}.");
        }
    }

    /// <summary>Rejects nested nodes where diskimage-builder's tree notation has none (inside LVM lists).</summary>
    public void RejectChildren()
    {
        if (_children.Count > 0)
            throw Error(_children[0].Key, $"cannot nest a '{_children[0].Kind}' here; declare it as its own entry with 'base:'.");
    }

    public DibException Error(YamlNode? at, string problem) => Error(ErrorCodes.BlockDeviceConfigMalformed, at, problem);

    public DibException Error(string code, YamlNode? at, string problem) =>
        BlockDeviceConfigErrors.At(code, Source, at is null ? Line : (int)at.Start.Line, Node, problem);
}
