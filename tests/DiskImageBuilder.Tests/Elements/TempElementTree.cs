using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

/// <summary>
/// A throw-away directory of element directories for one test: writes element-deps, element-provides,
/// phase scripts and other files, and deletes everything on dispose.
/// </summary>
internal sealed class TempElementTree : IDisposable
{
    public const string DefaultDirectory = "elements";

    public TempElementTree() => Root = Directory.CreateTempSubdirectory("dib-elements-").FullName;

    /// <summary>The temp directory that holds all element directories of this test.</summary>
    public string Root { get; }

    /// <summary>The full path of an elements directory (created) inside <see cref="Root"/>.</summary>
    public string ElementsDir(string name = DefaultDirectory) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Writes an element with optional element-deps and element-provides and returns its path.</summary>
    public string AddElement(string name, string[]? deps = null, string[]? provides = null, string directory = DefaultDirectory)
    {
        var path = Directory.CreateDirectory(Path.Combine(ElementsDir(directory), name)).FullName;
        if (deps is not null)
            File.WriteAllLines(Path.Combine(path, Element.DependenciesFile), deps);
        if (provides is not null)
            File.WriteAllLines(Path.Combine(path, Element.ProvidesFile), provides);
        return path;
    }

    /// <summary>Writes a file inside an element (creating the element and subdirectories) and returns its path.</summary>
    public string AddFile(string element, string relativePath, string content, string directory = DefaultDirectory)
    {
        var path = Path.Combine(ElementsDir(directory), element, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a phase script, executable unless told otherwise, and returns its path.</summary>
    public string AddScript(string element, string phase, string name, bool executable = true, string directory = DefaultDirectory)
    {
        var path = AddFile(element, Path.Combine(phase, name), "#!/bin/sh\nexit 0\n", directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, executable
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        return path;
    }

    /// <summary>A search path over the named directories of this tree, in the order given (default: just "elements").</summary>
    public ElementSearchPath SearchPath(params string[] directories) =>
        new((directories.Length == 0 ? [DefaultDirectory] : directories).Select(name => ElementsDir(name)));

    /// <summary>Loads elements of the default directory into a set in the given order, without resolution.</summary>
    public ResolvedElementSet Set(params string[] names) =>
        new([.. names.Select(name => Element.Load(name, Path.Combine(ElementsDir(), name)))], []);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that owned it.
        }
    }
}
