using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Host;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Turns the requested <c>Element</c> items into the full, ordered element set over the project's search path
/// (<see cref="ElementSearchPath.ForProject"/>). Pure: reads element directories, runs nothing, downloads nothing.
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

    /// <summary>The canonical architecture name (x86_64 becomes amd64).</summary>
    [Output]
    public string NormalizedTargetArch { get; set; } = "";

    /// <summary>Identity = element name; metadata Path (the element's directory) and Provides (';'-separated).</summary>
    [Output]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    /// <summary>Every file of every resolved element, for target Inputs.</summary>
    [Output]
    public ITaskItem[] ElementFiles { get; set; } = [];

    /// <summary>The search path as ELEMENTS_PATH gives it to scripts (':'-separated).</summary>
    [Output]
    public string SearchPath { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        NormalizedTargetArch = TargetArchitecture.Normalize(TargetArch);
        ForeignArchitecture.RequireBuildable(NormalizedTargetArch, TargetArchitecture.Host, log);
        if (Elements.Length == 0)
            throw new DibException(ErrorCodes.NoElements,
                "The project requests no elements. Add at least an operating system, for example <Element Include=\"debian-minimal\" /> and <Element Include=\"vm\" />.");

        var searchPath = ElementSearchPath.ForProject(ElementsPath, ElementsPathItems.Select(i => i.ItemSpec),
            Environment.GetEnvironmentVariable("ELEMENTS_PATH"), BuiltInElementsDirectory, ProjectDirectory);
        var resolved = new ElementResolver(searchPath).Resolve([.. Elements.Select(e => e.ItemSpec)], addBase: !SkipBaseElement,
            defaultLayout: ArchitectureProfile.For(NormalizedTargetArch).DefaultLayout);
        foreach (var warning in resolved.Warnings)
            log.Warning(ErrorCodes.ElementShadowed, warning);

        SearchPath = searchPath.ToString();
        ResolvedElements = [.. resolved.Elements.Select(e => TaskItems.Create(e.Name, ("Path", e.Path), ("Provides", string.Join(';', e.Provides))))];
        ElementFiles = [.. resolved.Elements.SelectMany(e => e.Files()).Order(StringComparer.Ordinal).Select(f => TaskItems.Create(f))];
        log.Progress($"Elements: {string.Join(' ', resolved.Elements.Select(e => e.Name))}");
        return Task.CompletedTask;
    }
}
