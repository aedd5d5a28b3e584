using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Elements;

/// <summary>
/// The ordered list of directories that hold elements (DIB's <c>ELEMENTS_PATH</c>): the first directory with
/// a subdirectory of the wanted name wins, and every later copy is reported as shadowed. The directories are
/// listed once, when the search path is built, so one resolution sees one consistent snapshot.
/// Not thread-safe: lookups are cached and record warnings.
/// </summary>
public sealed class ElementSearchPath
{
    private readonly IReadOnlyList<(string Directory, IReadOnlySet<string> Elements)> _listings;
    private readonly Dictionary<string, Element?> _found = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _shadowing = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    /// <summary>
    /// Builds a search path over <paramref name="directories"/>, highest priority first: the caller puts
    /// the user's directories first and the SDK's built-in elements last. Directories that do not exist are
    /// skipped, so a default such as <c>$(MSBuildProjectDirectory)/elements</c> costs nothing when absent.
    /// Throws DIB2005 when a directory exists but cannot be listed.
    /// </summary>
    /// <exception cref="ArgumentException">A directory is not an absolute path.</exception>
    public ElementSearchPath(IEnumerable<string> directories)
    {
        var all = new List<string>();
        var listings = new List<(string, IReadOnlySet<string>)>();
        foreach (var directory in directories)
        {
            // A relative path would be resolved against the process's current directory, which in MSBuild
            // is not the project's; the caller has to decide what it is relative to.
            if (!System.IO.Path.IsPathFullyQualified(directory))
                throw new ArgumentException($"Element directory '{directory}' is not an absolute path.", nameof(directories));

            var full = System.IO.Path.TrimEndingDirectorySeparator(directory);
            if (all.Contains(full, StringComparer.Ordinal))
                continue;
            all.Add(full);
            if (Directory.Exists(full))
                listings.Add((full, ListElements(full)));
        }
        Directories = all.AsReadOnly();
        _listings = listings.AsReadOnly();
        Warnings = _warnings.AsReadOnly();
    }

    /// <summary>The directories searched, in priority order, including any that do not exist.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>
    /// One line per shadowed element copy found by <see cref="Find"/> so far, e.g.
    /// <c>Element 'x' in /a/x overrides /b/x</c>.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// The search path of a project, highest priority first: the ElementsPath property, the ElementsPath items, the
    /// ELEMENTS_PATH variable, then the SDK's built-in elements. Relative entries are taken from the project's folder.
    /// </summary>
    public static ElementSearchPath ForProject(string? property, IEnumerable<string> items, string? environmentValue,
        string builtInDirectory, string projectDirectory)
    {
        string Rooted(string path) => System.IO.Path.GetFullPath(path, projectDirectory);
        return new ElementSearchPath([
            .. Split(property ?? "").Select(Rooted),
            .. items.Select(Rooted),
            .. Split(environmentValue ?? "").Select(Rooted),
            System.IO.Path.GetFullPath(builtInDirectory),
        ]);
    }

    /// <summary>The search path as ELEMENTS_PATH gives it to scripts (':'-separated).</summary>
    public override string ToString() => string.Join(':', Directories);

    /// <summary>
    /// Splits a path list such as <c>ELEMENTS_PATH</c> on <c>:</c> or <c>;</c> (MSBuild's item separator),
    /// trimming entries and dropping empty ones.
    /// </summary>
    public static IReadOnlyList<string> Split(string value) =>
        value.Split([':', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Returns the element called <paramref name="name"/> from the first directory that has it, or null.
    /// Throws DIB2005 when that element's directory cannot be read.
    /// </summary>
    public Element? Find(string name)
    {
        if (_found.TryGetValue(name, out var cached))
            return cached;

        Element? element = null;
        if (IsPlainName(name))
        {
            foreach (var (directory, elements) in _listings)
            {
                if (!elements.Contains(name))
                    continue;
                var path = System.IO.Path.Combine(directory, name);
                if (element is null)
                {
                    element = Element.Load(name, path);
                    continue;
                }
                var warning = $"Element '{name}' in {element.Path} overrides {path}";
                _warnings.Add(warning);
                if (!_shadowing.TryGetValue(name, out var lines))
                    _shadowing[name] = lines = [];
                lines.Add(warning);
            }
        }
        _found[name] = element;
        return element;
    }

    /// <summary>The shadowing warnings recorded for one element, so a resolved set can keep only its own.</summary>
    internal IReadOnlyList<string> WarningsFor(string name) =>
        _shadowing.TryGetValue(name, out var lines) ? lines : [];

    // An element name is one path segment; anything else would let a name reach outside the search path.
    private static bool IsPlainName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0;

    // Symbolic links to directories are listed as directories, so a linked element counts.
    private static IReadOnlySet<string> ListElements(string directory) =>
        ElementFile.Read(directory, _ => Directory.EnumerateDirectories(directory)
                .Select(path => System.IO.Path.GetFileName(path))
                .ToHashSet(StringComparer.Ordinal),
            fix: "Make it readable by the user running the build, or remove it from ElementsPath.");
}
