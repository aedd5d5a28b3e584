using DiskImageBuilder.Phases;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Base of the tasks that act on the build's tree as element scripts see it (RunPhase,
/// WriteManifests): the parameters that make up a <see cref="BuildContext"/>, read in one place.
/// </summary>
public abstract class BuildContextTask : DibTask
{
    [Required]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    [Required]
    public string TreeDirectory { get; set; } = "";

    [Required]
    public string HooksDirectory { get; set; } = "";

    /// <summary>The build's private folder (TMP_BUILD_DIR); the sandbox files live under it.</summary>
    [Required]
    public string BuildDirectory { get; set; } = "";

    /// <summary>The shared download cache (DIB_IMAGE_CACHE).</summary>
    public string ImageCacheDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    [Required]
    public string TargetArch { get; set; } = "";

    /// <summary>The element search path (ELEMENTS_PATH).</summary>
    public string SearchPath { get; set; } = "";

    /// <summary>DIB_RELEASE; empty lets the OS element choose its default.</summary>
    public string? Release { get; set; }

    public bool Offline { get; set; }

    /// <summary>Identity = variable name, metadata Value or FromEnvironment. Passed to every script.</summary>
    public ITaskItem[] ElementEnvironment { get; set; } = [];

    /// <summary>The context for <paramref name="elementNames"/>, with extra block-device variables.</summary>
    protected BuildContext CreateContext(IEnumerable<string> elementNames, IReadOnlyDictionary<string, string>? blockDeviceEnvironment = null) => new()
    {
        TreeDir = TreeDirectory,
        HooksDir = HooksDirectory,
        BuildDir = BuildDirectory,
        ImageCacheDir = ImageCacheDirectory,
        ImageName = ImageName,
        Arch = TargetArch,
        Elements = [.. elementNames],
        ElementsPath = SearchPath,
        Offline = Offline,
        Release = Release,
        BlockDeviceEnvironment = blockDeviceEnvironment ?? new Dictionary<string, string>(),
        UserEnvironment = UserVariables.Collect(TaskEnvironmentItems.From(ElementEnvironment)),
    };
}
