using System.Text.Json;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Elements;

/// <summary>
/// An element's <c>pkg-map</c>: translations from the package names its package-installs uses to the names of
/// one distribution. The most specific section that mentions a name wins: release, then distro, then family,
/// then default. An empty translation drops the package.
/// </summary>
public sealed class PkgMap
{
    /// <summary>The file name inside an element directory.</summary>
    public const string FileName = "pkg-map";

    private static readonly string[] Sections = ["default", "family", "distro", "release"];

    private readonly IReadOnlyDictionary<string, string> _default;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _family;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _distro;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> _release;

    private PkgMap(
        IReadOnlyDictionary<string, string> defaults,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> family,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> distro,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> release)
    {
        _default = defaults;
        _family = family;
        _distro = distro;
        _release = release;
    }

    /// <summary>A map that translates nothing, for elements without a pkg-map.</summary>
    public static PkgMap Empty { get; } = new(
        new Dictionary<string, string>(),
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>());

    /// <summary>
    /// Reads <c>pkg-map</c> from <paramref name="elementDirectory"/>, or returns <see cref="Empty"/> when there is
    /// none. Throws DIB2007 with the file and line when it is not valid JSON of the expected shape.
    /// </summary>
    public static PkgMap Load(string elementDirectory)
    {
        var file = Path.Combine(elementDirectory, FileName);
        return ElementFile.ReadAllText(file, Path.GetFileName(elementDirectory)) is { } text ? Parse(text, file) : Empty;
    }

    /// <summary>Parses pkg-map JSON; <paramref name="file"/> is only used in error messages.</summary>
    public static PkgMap Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DibException(ErrorCodes.BadPackageInstalls,
                $"{file} is not valid JSON: {e.Message} Fix the syntax; pkg-map is read as strict JSON, as DIB does.",
                file, (int)(e.LineNumber ?? -1) + 1, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(file, "must be a JSON object with the sections default, family, distro and release");
            foreach (var section in root.EnumerateObject())
            {
                if (!Sections.Contains(section.Name, StringComparer.Ordinal))
                    throw Bad(file, $"has an unknown section '{section.Name}'; the sections are {string.Join(", ", Sections)}");
            }

            var release = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal);
            if (root.TryGetProperty("release", out var releaseSection))
            {
                foreach (var (distro, releases) in Objects(releaseSection, file, "release"))
                    release[distro] = Nested(releases, file, $"release.{distro}");
            }
            return new PkgMap(
                root.TryGetProperty("default", out var defaults) ? Names(defaults, file, "default") : new Dictionary<string, string>(),
                root.TryGetProperty("family", out var family) ? Nested(family, file, "family") : [],
                root.TryGetProperty("distro", out var distroSection) ? Nested(distroSection, file, "distro") : [],
                release);
        }
    }

    /// <summary>
    /// The package family of a distribution as pkg-map knows it, or null. DIB's list, plus the rpm
    /// distributions that DIB builds today (rocky, almalinux, openeuler).
    /// </summary>
    public static string? FamilyOf(string? distro) => distro switch
    {
        "fedora" or "rhel" or "rhel7" or "centos" or "centos7" or "rocky" or "almalinux" or "openeuler" => "redhat",
        "debian" or "ubuntu" => "debian",
        "opensuse" => "suse",
        "gentoo" => "gentoo",
        _ => null,
    };

    /// <summary>
    /// Translates <paramref name="name"/>: the most specific mapping wins (release of the distro, distro,
    /// family, default). Returns null when the mapping is empty (drop the package) and the name itself when
    /// nothing maps it. A mapping may name several packages separated by spaces, as in DIB.
    /// </summary>
    public string? Map(string name, string? distro, string? family, string? release) =>
        TryMap(name, distro, family, release, out var mapped) ? mapped : name;

    /// <summary>
    /// Like <see cref="Map"/>, but tells an unmapped name apart: false when no section that applies to the
    /// distro mentions <paramref name="name"/> (DIB's pkg-map tool fails on that without --missing-ok).
    /// <paramref name="mapped"/> is null when the mapping drops the package.
    /// </summary>
    public bool TryMap(string name, string? distro, string? family, string? release, out string? mapped)
    {
        if (!TryFind(name, distro, family, release, out var found))
        {
            mapped = null;
            return false;
        }
        mapped = string.IsNullOrWhiteSpace(found) ? null : found.Trim();
        return true;
    }

    /// <summary>Every name that some section of the map translates, for any distribution, in ordinal order.</summary>
    public IReadOnlyList<string> MappedNames =>
        [.. _default.Keys
            .Concat(_family.Values.SelectMany(map => map.Keys))
            .Concat(_distro.Values.SelectMany(map => map.Keys))
            .Concat(_release.Values.SelectMany(releases => releases.Values).SelectMany(map => map.Keys))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private bool TryFind(string name, string? distro, string? family, string? release, out string mapped)
    {
        if (distro is not null && release is not null
            && _release.TryGetValue(distro, out var releases)
            && releases.TryGetValue(release, out var releaseMap)
            && releaseMap.TryGetValue(name, out mapped!))
        {
            return true;
        }
        if (distro is not null && _distro.TryGetValue(distro, out var distroMap) && distroMap.TryGetValue(name, out mapped!))
            return true;
        if (family is not null && _family.TryGetValue(family, out var familyMap) && familyMap.TryGetValue(name, out mapped!))
            return true;
        return _default.TryGetValue(name, out mapped!);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Nested(JsonElement value, string file, string where)
    {
        var maps = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, names) in Objects(value, file, where))
            maps[name] = Names(names, file, $"{where}.{name}");
        return maps;
    }

    private static IEnumerable<KeyValuePair<string, JsonElement>> Objects(JsonElement value, string file, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"'{where}' must be an object of names to objects");
        return value.EnumerateObject().Select(property => KeyValuePair.Create(property.Name, property.Value)).ToList();
    }

    private static Dictionary<string, string> Names(JsonElement value, string file, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"'{where}' must be an object of package names to package names");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
                throw Bad(file, $"'{where}.{property.Name}' must be a string: the package name(s), or \"\" to drop it");
            names[property.Name] = property.Value.GetString()!;
        }
        return names;
    }

    private static DibException Bad(string file, string problem) =>
        new(ErrorCodes.BadPackageInstalls, $"{file} {problem}.", file);
}
