using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Host;
using DiskImageBuilder.Phases;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Turns the requested <c>Element</c> items into the full, ordered element set over the search path
/// (ElementsPath property, ElementsPath items, ELEMENTS_PATH, then the SDK's own elements).
/// Pure: reads element directories, runs nothing, downloads nothing.
/// </summary>
public sealed class ResolveElements : DibTask
{
    /// <summary>The requested elements (Identity = element name).</summary>
    [Required]
    public ITaskItem[] Elements { get; set; } = [];

    /// <summary>The ElementsPath property: directories separated by ':' or ';', relative to the project.</summary>
    public string? ElementsPath { get; set; }

    /// <summary>ElementsPath items, searched after the property.</summary>
    public ITaskItem[] ElementsPathItems { get; set; } = [];

    /// <summary>The SDK's built-in elements, searched last.</summary>
    [Required]
    public string BuiltInElementsDirectory { get; set; } = "";

    /// <summary>The project's directory, against which relative paths are resolved.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>Like disk-image-create -n: do not add the 'base' element.</summary>
    public bool SkipBaseElement { get; set; }

    /// <summary>The requested architecture; validated and normalised.</summary>
    [Required]
    public string TargetArch { get; set; } = "";

    /// <summary>ElementEnvironment items (Identity = variable, metadata Value), for the fingerprint below.</summary>
    public ITaskItem[] ElementEnvironment { get; set; } = [];

    /// <summary>A SHA-256 over the element environment (DIB_* of the process and the items), so a changed
    /// variable rebuilds without its value ever appearing in a log or a file.</summary>
    [Output]
    public string EnvironmentHash { get; set; } = "";

    /// <summary>The canonical architecture name (x86_64 becomes amd64).</summary>
    [Output]
    public string NormalizedTargetArch { get; set; } = "";

    /// <summary>Identity = element name; metadata Path (the element's directory) and Provides (';'-separated).</summary>
    [Output]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    /// <summary>Every file of every resolved element, for target Inputs.</summary>
    [Output]
    public ITaskItem[] ElementFiles { get; set; } = [];

    /// <summary>Host programs that the resolved elements declare in their host-tools files.</summary>
    [Output]
    public ITaskItem[] HostTools { get; set; } = [];

    /// <summary>The search path as ELEMENTS_PATH gives it to scripts (':'-separated).</summary>
    [Output]
    public string SearchPath { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        NormalizedTargetArch = TargetArchitecture.Normalize(TargetArch);
        ForeignArchitecture.RequireBuildable(NormalizedTargetArch, TargetArchitecture.Host);
        if (Elements.Length == 0)
            throw new DibException(ErrorCodes.NoElements,
                "The project requests no elements. Add at least an operating system, for example <Element Include=\"debian-minimal\" /> and <Element Include=\"vm\" />.");

        var directories = new List<string>();
        directories.AddRange(ElementSearchPath.Split(ElementsPath ?? "").Select(Rooted));
        directories.AddRange(ElementsPathItems.Select(i => Rooted(i.ItemSpec)));
        directories.AddRange(ElementSearchPath.Split(Environment.GetEnvironmentVariable("ELEMENTS_PATH") ?? "").Select(Rooted));
        directories.Add(Path.GetFullPath(BuiltInElementsDirectory));
        directories = [.. directories.Distinct(StringComparer.Ordinal)];
        SearchPath = string.Join(':', directories);

        var searchPath = new ElementSearchPath(directories);
        var resolver = new ElementResolver(searchPath);
        var resolved = resolver.Resolve([.. Elements.Select(e => e.ItemSpec)], addBase: !SkipBaseElement);
        foreach (var warning in resolved.Warnings)
            log.Warning(ErrorCodes.ElementShadowed, warning);

        ResolvedElements = [.. resolved.Elements.Select(e =>
        {
            var item = new TaskItem(e.Name);
            item.SetMetadata("Path", e.Path);
            item.SetMetadata("Provides", string.Join(';', e.Provides));
            return (ITaskItem)item;
        })];
        ElementFiles = [.. resolved.Elements
            .SelectMany(e => Directory.EnumerateFiles(e.Path, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(f => (ITaskItem)new TaskItem(f))];
        HostTools = [.. resolved.Elements.SelectMany(e => ElementHostTools.Read(e.Path)).Select(t =>
        {
            var item = new TaskItem(t.Program);
            item.SetMetadata("Package", t.Package);
            item.SetMetadata("Purpose", t.Purpose);
            item.SetMetadata("Alternatives", string.Join(';', t.Alternatives));
            return (ITaskItem)item;
        })];
        var variables = UserVariables.Collect(TaskEnvironmentItems.From(ElementEnvironment));
        EnvironmentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value)))));
        log.Progress($"Elements: {string.Join(' ', resolved.Elements.Select(e => e.Name))}");
        return Task.CompletedTask;
    }

    private string Rooted(string path) => Path.GetFullPath(path, ProjectDirectory);
}
