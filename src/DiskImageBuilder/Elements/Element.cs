namespace DiskImageBuilder.Elements;

/// <summary>
/// One diskimage-builder element: a directory whose name is the element's name. Only the two files that
/// drive resolution are read here; phase scripts, package-installs and the rest are read by their owners
/// from <see cref="Path"/>.
/// </summary>
/// <param name="Name">The element's name, which is its directory's name.</param>
/// <param name="Path">The full path of the element's directory.</param>
/// <param name="Dependencies">The names listed in <c>element-deps</c>, in file order, without repeats.</param>
/// <param name="Provides">The virtual names listed in <c>element-provides</c>, in file order, without repeats.</param>
public sealed record Element(string Name, string Path, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Provides)
{
    /// <summary>The file that lists the elements this one needs.</summary>
    public const string DependenciesFile = "element-deps";

    /// <summary>The file that lists the virtual names this element stands in for.</summary>
    public const string ProvidesFile = "element-provides";

    /// <summary>
    /// Reads the element in <paramref name="directory"/>. Throws DIB2005 when the directory or one of its
    /// element files exists but cannot be read.
    /// </summary>
    public static Element Load(string name, string directory) => ElementFile.Read(directory, _ =>
    {
        // List the directory before looking for the files: inside an unreadable directory File.Exists
        // quietly answers false, which would drop the element's dependencies instead of failing.
        var entries = Directory.EnumerateFileSystemEntries(directory)
            .Select(entry => System.IO.Path.GetFileName(entry))
            .ToHashSet(StringComparer.Ordinal);
        return new Element(
            name,
            directory,
            entries.Contains(DependenciesFile) ? ReadNames(System.IO.Path.Combine(directory, DependenciesFile)) : [],
            entries.Contains(ProvidesFile) ? ReadNames(System.IO.Path.Combine(directory, ProvidesFile)) : []);
    }, name, $"Make the directory and its {DependenciesFile} and {ProvidesFile} files readable by the user running the build, " +
        "or remove the element from the search path.");

    /// <summary>
    /// Reads a one-name-per-line file. Blank lines and text after <c>#</c> are ignored so that element
    /// files can say why a dependency is there; <c>#</c> never occurs in an element name.
    /// </summary>
    internal static IReadOnlyList<string> ReadNames(string file)
    {
        var names = new List<string>();
        foreach (var line in File.ReadLines(file))
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var name = (hash >= 0 ? line[..hash] : line).Trim();
            if (name.Length > 0 && !names.Contains(name, StringComparer.Ordinal))
                names.Add(name);
        }
        return names.AsReadOnly();
    }

    /// <summary>Every file of the element, recursively: what a change to the element can touch.</summary>
    public IEnumerable<string> Files() => Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories);
}
