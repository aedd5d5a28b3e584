using DiskImageBuilder.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.IO;

/// <summary>
/// YAML read with YamlDotNet into nodes that keep their positions, and the one shape of its errors: the caller's code,
/// the source and line (and column for a syntax error), what is wrong and how to fix it. Element files
/// (package-installs, svc-map) and block-device configurations are read through it.
/// </summary>
public static class YamlFile
{
    /// <summary>Parses <paramref name="text"/> into its documents.</summary>
    /// <param name="source">What errors name: the file's path, or e.g. a property for inline YAML.</param>
    /// <param name="code">The error code for text that is not YAML.</param>
    /// <exception cref="DibException"><paramref name="code"/> with the line and column where the syntax breaks.</exception>
    public static IReadOnlyList<YamlDocument> Load(string text, string source, string code)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // A key given twice in one map is a YAML error too ("Duplicate key").
            throw new DibException(code,
                $"{source} line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message.TrimEnd('.')}. Fix the syntax.",
                source, (int)e.Start.Line, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up on some input without saying where; the error is just after what parsed.
            var line = (int)Math.Max(1, parser.LastGood.Line);
            throw new DibException(code,
                $"{source} line {line}, column {parser.LastGood.Column}: not valid YAML after this point ({e.Message.TrimEnd('.')}); " +
                "look for an unclosed '{', '[' or quote. Fix the syntax.",
                source, line, e);
        }
        return [.. stream.Documents];
    }

    /// <summary>The root node of the first document of <paramref name="text"/>, or null when there is none or it is null.</summary>
    /// <exception cref="DibException"><paramref name="code"/>, as <see cref="Load"/>.</exception>
    public static YamlNode? LoadRoot(string text, string source, string code)
    {
        var documents = Load(text, source, code);
        return documents.Count == 0 || IsNull(documents[0].RootNode) ? null : documents[0].RootNode;
    }

    /// <summary>Whether the node is YAML's null: nothing, <c>~</c> or <c>null</c>, unquoted.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>An error about the content at <paramref name="node"/>: "SOURCE line N: PROBLEM."</summary>
    public static DibException Error(string code, string source, YamlNode node, string problem) =>
        new(code, $"{source} line {node.Start.Line}: {problem}.", source, (int)node.Start.Line);
}
