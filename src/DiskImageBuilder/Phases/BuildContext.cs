namespace DiskImageBuilder.Phases;

/// <summary>
/// Everything about one image build that the phases see: folders, names, the resolved elements and
/// the user's element environment. Built once by the task from MSBuild properties and items.
/// </summary>
public sealed record BuildContext
{
    /// <summary>The root tree being built (TARGET_ROOT, TMP_MOUNT_PATH).</summary>
    public required string TreeDir { get; init; }
    /// <summary>The merged hooks of all elements (TMP_HOOKS_PATH outside, /tmp/in_target.d inside).</summary>
    public required string HooksDir { get; init; }
    /// <summary>The build's private working folder (TMP_BUILD_DIR).</summary>
    public required string BuildDir { get; init; }
    /// <summary>The download cache shared between builds (DIB_IMAGE_CACHE).</summary>
    public required string ImageCacheDir { get; init; }
    public required string ImageName { get; init; }
    /// <summary>Debian-style architecture name (ARCH).</summary>
    public required string Arch { get; init; }
    /// <summary>Resolved element names in order (IMAGE_ELEMENT).</summary>
    public required IReadOnlyList<string> Elements { get; init; }
    /// <summary>Each resolved element's folder, by name, in the order of <see cref="Elements"/> (IMAGE_ELEMENT_YAML, get_image_element_array).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ElementPaths { get; init; } = [];
    /// <summary>The SDK's library of functions for diskimage-builder's host-side scripts (_LIB); empty when unknown.</summary>
    public string LibraryDir { get; init; } = "";
    /// <summary>The element search path, colon separated (ELEMENTS_PATH).</summary>
    public required string ElementsPath { get; init; }
    public bool Offline { get; init; }
    /// <summary>DIB_RELEASE when the project sets one; elements default it otherwise.</summary>
    public string? Release { get; init; }
    /// <summary>Root filesystem facts the layout decided (DIB_ROOT_LABEL, DIB_ROOT_FSTYPE, DIB_ROOT_UUID).</summary>
    public IReadOnlyDictionary<string, string> BlockDeviceEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>DIB_* variables from the process environment and ElementEnvironment items (items win).</summary>
    public IReadOnlyDictionary<string, string> UserEnvironment { get; init; } = new Dictionary<string, string>();
}
