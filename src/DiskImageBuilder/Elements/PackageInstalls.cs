using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using DiskImageBuilder.IO;
using DiskImageBuilder.Phases;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Reads elements' declarative package lists (<c>package-installs.yaml</c> / <c>.json</c>) and squashes them
/// into one install and uninstall list per phase, as DIB's package-installs element does outside the chroot.
/// </summary>
public static class PackageInstalls
{
    /// <summary>The file names read from an element directory, in this order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["package-installs.yaml", "package-installs.json"];

    /// <summary>The phases in which package-installs installs and removes packages, in run order.</summary>
    public static IReadOnlyList<string> Phases { get; } = [PhaseNames.PreInstall, PhaseNames.Install, PhaseNames.PostInstall];

    private static readonly string[] Fields = ["phase", "uninstall", "build-only", "installtype", "arch", "not-arch", "when", "dib_python_version"];
    private static readonly string[] InstallTypes = ["source", "package"];

    /// <summary>
    /// Reads the element's package-installs files (YAML first, then JSON; JSON is read as YAML, as DIB falls back
    /// to). Returns the entries in file order. Throws DIB2007 with file and line for a malformed file.
    /// </summary>
    public static IReadOnlyList<PackageInstall> Load(Element element)
    {
        var entries = new List<PackageInstall>();
        foreach (var name in FileNames)
        {
            var file = Path.Combine(element.Path, name);
            if (ElementFile.ReadAllText(file, element.Name) is { } text)
                entries.AddRange(Parse(text, file));
        }
        return entries.AsReadOnly();
    }

    /// <summary>
    /// Parses package-installs text: a map of package name to nothing, to one options map, or to a list of
    /// options maps. <paramref name="file"/> is recorded in the entries and used in errors.
    /// </summary>
    public static IReadOnlyList<PackageInstall> Parse(string text, string file)
    {
        var document = YamlFile.LoadRoot(text, file, ErrorCodes.BadPackageInstalls);
        if (document is null)
            return [];
        if (document is not YamlMappingNode root)
            throw Bad(file, document, "the file must be a map of package names to options");

        var entries = new List<PackageInstall>();
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name } || YamlFile.IsNull(key))
                throw Bad(file, key, "a key is not a package name");
            switch (value)
            {
                case YamlSequenceNode list:
                    foreach (var item in list.Children)
                        entries.Add(Entry(name, item, file, (int)item.Start.Line));
                    break;
                default:
                    entries.Add(Entry(name, value, file, (int)key.Start.Line));
                    break;
            }
        }
        return entries.AsReadOnly();
    }

    /// <summary>
    /// Merges the package-installs of every element of <paramref name="elements"/> into per-phase install and
    /// uninstall lists: entries whose arch, not-arch, when, installtype or dib_python_version do not match
    /// are dropped, names are translated with the declaring element's pkg-map, and each list keeps the first
    /// occurrence of a name in element order then file order.
    /// Throws DIB2008 when a <c>when</c> test names an unset variable, DIB2007 for malformed files.
    /// </summary>
    /// <param name="elements">The resolved elements.</param>
    /// <param name="arch">The target architecture (Debian names: amd64, arm64, i386, ppc64el; aliases accepted,
    /// anything else is DIB1001). arch and not-arch lists are compared with it exactly, as DIB compares them with ARCH.</param>
    /// <param name="environment">The build environment: <c>when</c> reads it; so do the pkg-map keys
    /// <c>DISTRO_NAME</c> and <c>DIB_RELEASE</c>, <c>DIB_INSTALLTYPE_&lt;element&gt;</c> and <c>DIB_PYTHON_VERSION</c>.</param>
    /// <param name="defaultInstallType"><c>source</c> or <c>package</c> (DIB's <c>DIB_DEFAULT_INSTALLTYPE</c>).</param>
    public static SquashedPackages Squash(
        ResolvedElementSet elements,
        string arch,
        IReadOnlyDictionary<string, string> environment,
        string defaultInstallType)
    {
        if (!InstallTypes.Contains(defaultInstallType, StringComparer.Ordinal))
            throw new ArgumentException($"Install type '{defaultInstallType}' is not source or package.", nameof(defaultInstallType));
        arch = TargetArchitecture.Normalize(arch);
        var distro = environment.GetValueOrDefault("DISTRO_NAME");
        var release = environment.GetValueOrDefault("DIB_RELEASE");
        var family = PkgMap.FamilyOf(distro);

        // DIB 3 runs Python 3 only, so entries for dib_python_version 2 (python-dev and friends) are dropped
        // unless the build says otherwise; installing both would fail on any current distribution.
        var pythonVersion = environment.GetValueOrDefault("DIB_PYTHON_VERSION") ?? "3";

        var install = Phases.ToDictionary(phase => phase, _ => new List<string>(), StringComparer.Ordinal);
        var uninstall = Phases.ToDictionary(phase => phase, _ => new List<string>(), StringComparer.Ordinal);
        var owners = Phases.ToDictionary(phase => phase, _ => new Dictionary<string, List<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var element in elements.Elements)
        {
            var entries = Load(element);
            if (entries.Count == 0)
                continue;
            var pkgMap = PkgMap.Load(element.Path);
            var installType = environment.GetValueOrDefault("DIB_INSTALLTYPE_" + element.Name.Replace('-', '_')) ?? defaultInstallType;

            foreach (var entry in entries)
            {
                // `when` is evaluated first and for every entry, as in DIB, so an unset variable is reported
                // whatever the architecture.
                if (!WhenHolds(entry, element, environment)
                    || entry.InstallType is not null && entry.InstallType != installType
                    || entry.Arch.Count > 0 && !entry.Arch.Contains(arch, StringComparer.Ordinal)
                    || entry.NotArch.Contains(arch, StringComparer.Ordinal)
                    || entry.PythonVersion is not null && entry.PythonVersion != pythonVersion)
                {
                    continue;
                }

                // DIB applies the pkg-map of the element that declared the package.
                if (pkgMap.Map(entry.Name, distro, family, release) is not { } mapped)
                    continue;
                var names = mapped.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (!entry.Uninstall || entry.BuildOnly)
                {
                    AddNew(install[entry.Phase], names);
                    foreach (var name in names)
                        AddNew(owners[entry.Phase].TryGetValue(name, out var list) ? list : owners[entry.Phase][name] = [], [element.Name]);
                }
                if (entry.Uninstall || entry.BuildOnly)
                    AddNew(uninstall[entry.Phase], names);
            }
        }
        return new SquashedPackages([.. Phases.Select(phase => new PhasePackages(phase, install[phase].AsReadOnly(), uninstall[phase].AsReadOnly(),
            owners[phase].ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.AsReadOnly(), StringComparer.Ordinal)))]);
    }

    private static bool WhenHolds(PackageInstall entry, Element element, IReadOnlyDictionary<string, string> environment)
    {
        var holds = true;
        foreach (var condition in entry.When)
        {
            var result = condition.Evaluate(environment) ?? throw new DibException(
                ErrorCodes.UnsetWhenVariable,
                $"Element '{element.Name}' installs '{entry.Name}' only when {condition}, but {condition.Variable} " +
                $"is not set ({entry.File} line {condition.Line}). Set {condition.Variable} with an " +
                "ElementEnvironment item, or give it a default in the element's environment.d.",
                entry.File,
                condition.Line);
            holds &= result;
        }
        return holds;
    }

    private static PackageInstall Entry(string name, YamlNode node, string file, int line)
    {
        if (YamlFile.IsNull(node))
            return new PackageInstall(name, PhaseNames.Install, false, false, null, [], [], [], null, file, line);
        if (node is not YamlMappingNode options)
            throw Bad(file, node, $"the options of '{name}' are not a map (fields: {string.Join(", ", Fields)})");

        var phase = PhaseNames.Install;
        bool uninstall = false, buildOnly = false;
        string? installType = null, pythonVersion = null;
        IReadOnlyList<string> arch = [], notArch = [];
        var when = new List<WhenCondition>();
        foreach (var (keyNode, value) in options.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "phase":
                    phase = Text(value, file, name, key);
                    if (!Phases.Contains(phase, StringComparer.Ordinal))
                        throw Bad(file, value, $"'{name}' has phase '{phase}'; packages are installed only in {string.Join(", ", Phases)}");
                    break;
                case "uninstall":
                    uninstall = Flag(value, file, name, key);
                    break;
                case "build-only":
                    buildOnly = Flag(value, file, name, key);
                    break;
                case "installtype":
                    installType = Text(value, file, name, key);
                    if (!InstallTypes.Contains(installType, StringComparer.Ordinal))
                        throw Bad(file, value, $"'{name}' has installtype '{installType}'; use source or package");
                    break;
                case "arch":
                    arch = ArchList(Text(value, file, name, key));
                    break;
                case "not-arch":
                    notArch = ArchList(Text(value, file, name, key));
                    break;
                case "when":
                    foreach (var test in value is YamlSequenceNode tests ? tests.Children : [value])
                    {
                        var text = Text(test, file, name, key);
                        when.Add(WhenCondition.TryParse(text, (int)test.Start.Line)
                            ?? throw Bad(file, test, $"'{name}' has the when test '{text}'; write VAR=value or VAR!=value"));
                    }
                    break;
                case "dib_python_version":
                    pythonVersion = Text(value, file, name, key);
                    break;
                default:
                    throw Bad(file, keyNode, $"'{name}' has the unknown field '{key}'; the fields are {string.Join(", ", Fields)}");
            }
        }
        if (arch.Count > 0 && notArch.Count > 0)
            throw Bad(file, node, $"'{name}' has both arch and not-arch; use one of them");
        return new PackageInstall(name, phase, uninstall, buildOnly, installType, arch, notArch, when.AsReadOnly(), pythonVersion, file, line);
    }

    private static void AddNew(List<string> list, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!list.Contains(name, StringComparer.Ordinal))
                list.Add(name);
        }
    }

    private static IReadOnlyList<string> ArchList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Text(YamlNode node, string file, string package, string field) =>
        node is YamlScalarNode { Value: { } value } && !YamlFile.IsNull(node)
            ? value.Trim()
            : throw Bad(file, node, $"'{package}' has a {field} that is not a single value");

    private static bool Flag(YamlNode node, string file, string package, string field)
    {
        // DIB tests only whether the key is present, so an empty `uninstall:` means true; an explicit false
        // is honoured here, where DIB would still uninstall.
        if (YamlFile.IsNull(node))
            return true;
        return (node as YamlScalarNode)?.Value?.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Bad(file, node, $"'{package}' has a {field} that is not true or false"),
        };
    }

    private static DibException Bad(string file, YamlNode node, string problem) =>
        YamlFile.Error(ErrorCodes.BadPackageInstalls, file, node, problem);
}
