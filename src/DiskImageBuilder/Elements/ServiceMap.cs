using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.Elements;

/// <summary>
/// The services of every element's <c>svc-map</c> (YAML), merged as DIB's svc-map element merges them:
/// a service may be declared by one element only. Resolved for one distribution, it is what the
/// <c>svc-map</c> tool prints.
/// </summary>
public sealed class ServiceMap
{
    /// <summary>The file name inside an element directory.</summary>
    public const string FileName = "svc-map";

    private ServiceMap(IReadOnlyList<ServiceMapEntry> entries) => Entries = entries;

    /// <summary>A map without services.</summary>
    public static ServiceMap Empty { get; } = new([]);

    /// <summary>All services, in element order then file order.</summary>
    public IReadOnlyList<ServiceMapEntry> Entries { get; }

    /// <summary>
    /// Reads and merges the svc-map files of <paramref name="elements"/>. Throws DIB2007 with file and line
    /// for a malformed file or a service that two elements declare, DIB2005 for an unreadable file.
    /// </summary>
    public static ServiceMap Load(ResolvedElementSet elements)
    {
        var entries = new List<ServiceMapEntry>();
        var seen = new Dictionary<string, (Element Element, ServiceMapEntry Entry)>(StringComparer.Ordinal);
        foreach (var element in elements.Elements)
        {
            var file = Path.Combine(element.Path, FileName);
            if (ElementFile.ReadAllText(file, element.Name) is not { } text)
                continue;
            foreach (var entry in Parse(text, file))
            {
                if (seen.TryGetValue(entry.Service, out var first))
                {
                    throw new DibException(ErrorCodes.BadPackageInstalls,
                        $"{entry.File} line {entry.Line}: element '{element.Name}' maps the service '{entry.Service}', which element " +
                        $"'{first.Element.Name}' already maps ({first.Entry.File} line {first.Entry.Line}). svc-map merges all " +
                        "elements into one table, so a service may be declared once; remove one of them.",
                        entry.File, entry.Line);
                }
                seen.Add(entry.Service, (element, entry));
                entries.Add(entry);
            }
        }
        return new ServiceMap(entries.AsReadOnly());
    }

    /// <summary>
    /// Parses svc-map text: a map of service names to maps of distro, family or <c>default</c> to the
    /// service's name there. <paramref name="file"/> is recorded in the entries and used in errors.
    /// </summary>
    public static IReadOnlyList<ServiceMapEntry> Parse(string text, string file)
    {
        var document = YamlFile.LoadRoot(text, file, ErrorCodes.BadPackageInstalls);
        if (document is null)
            return [];
        if (document is not YamlMappingNode root)
            throw Bad(file, document, "the file must be a map of service names to per-distro names");

        var entries = new List<ServiceMapEntry>();
        foreach (var (key, value) in root.Children)
        {
            var service = Name(key, file, "a key is not a service name");
            if (!HookFileName.IsValid(service))
                throw Bad(file, key, $"'{service}' cannot be a service name: it may not contain '/' or be '.' or '..'");
            if (value is not YamlMappingNode names || names.Children.Count == 0)
            {
                throw Bad(file, YamlFile.IsNull(value) ? key : value,
                    $"'{service}' must map to its names, e.g. '{service}: {{default: name, debian: other-name}}'");
            }
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (distroNode, nameNode) in names.Children)
            {
                var distro = Name(distroNode, file, $"'{service}' has a key that is not a distro, family or default");
                map[distro] = Name(nameNode, file, $"'{service}' has no name for '{distro}'");
            }
            entries.Add(new ServiceMapEntry(service, map, file, (int)key.Start.Line));
        }
        return entries.AsReadOnly();
    }

    /// <summary>Every service's name on <paramref name="distro"/> (DISTRO_NAME), by service.</summary>
    public IReadOnlyDictionary<string, string> Resolve(string? distro) =>
        Entries.ToDictionary(entry => entry.Service, entry => entry.Resolve(distro), StringComparer.Ordinal);

    private static string Name(YamlNode node, string file, string problem) =>
        node is YamlScalarNode { Value: { } value } && !YamlFile.IsNull(node) && value.Trim().Length > 0
            ? value.Trim()
            : throw Bad(file, node, problem);

    private static DibException Bad(string file, YamlNode node, string problem) =>
        YamlFile.Error(ErrorCodes.BadPackageInstalls, file, node, problem);
}
