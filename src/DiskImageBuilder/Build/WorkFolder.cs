namespace DiskImageBuilder.Build;

/// <summary>
/// The layout of one build's work folder (obj/&lt;Configuration&gt;/&lt;TargetArch&gt;/dib/): every path the engine and
/// the targets use below it is derived here and nowhere else. The folder is private to one project and one
/// architecture; the shared caches live elsewhere (<see cref="ImageSettings.CacheDirectory"/>).
/// </summary>
public sealed record WorkFolder
{
    public WorkFolder(string root, string imageName)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(imageName);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        ImageName = imageName;
    }

    /// <summary>The work folder itself; a stage snapshot holds its <see cref="Caching.StageCache.SnapshotFolders"/>.</summary>
    public string Root { get; }

    public string ImageName { get; }

    /// <summary>The root tree the phases build (TARGET_ROOT).</summary>
    public string Tree => At("tree");

    /// <summary>The merged hooks of every element (TMP_HOOKS_PATH).</summary>
    public string Hooks => At("hooks");

    /// <summary>The build's private folder (TMP_BUILD_DIR).</summary>
    public string Build => At("build");

    /// <summary>The script sandbox's files (its pid records, the chroot helpers).</summary>
    public string Sandbox => Path.Combine(Build, "sandbox");

    /// <summary>What elements' scripts leave for the manifests (/etc/dib-manifests is copied here by the manifests element).</summary>
    public string ElementManifests => Path.Combine(Build, "dib-manifests");

    /// <summary>The settings that shape the tree, one per line: an input of stage planning.</summary>
    public string TreeInputs => At("inputs.txt");

    /// <summary>The settings that shape the disk but not the tree: an input of the block-device step.</summary>
    public string DiskInputs => At("block.txt");

    /// <summary>The settings of the conversions (compression, checksums, container tag…): an input of the outputs.</summary>
    public string ConvertInputs => At("convert.txt");

    /// <summary>The chosen block-device YAML, rewritten only when it changes: an input of the block-device step.</summary>
    public string LayoutConfig => At("block-device.yaml");

    /// <summary>The disk plan (partitions, filesystems) that CreateBlockDevice records for the later disk steps and the manifests.</summary>
    public string LayoutRecord => At("block-device.json");

    /// <summary>The inputs of every stage at the last planning, so the next one can say which input changed.</summary>
    public string StageRecord => At("stages.json");

    /// <summary>Present while a stage or a disk step runs: left behind, it means the build was interrupted.</summary>
    public string DirtyMarker => At("tree.dirty");

    /// <summary>Written when the tree is complete: the output of stage planning and an input of everything after it.</summary>
    public string TreeStamp => Path.Combine(At("stages"), "tree.done");

    /// <summary>Written when the disk's filesystems and bootloader are in place.</summary>
    public string DiskStamp => Path.Combine(At("stages"), "disk.done");

    /// <summary>The raw disk that the disk formats are converted from.</summary>
    public string RawDisk => At(ImageName + ".raw");

    /// <summary>Scratch space for the hard-link copies of nested mount points when filesystems are made.</summary>
    public string FilesystemScratch => At("fs-sources");

    /// <summary>Size and SHA-256 of each output, so a build that converts nothing still returns complete items.</summary>
    public string OutputRecords => At("outputs");

    /// <summary>The lock that allows one build of the project at a time.</summary>
    public string LockFile => At("build.lock");

    /// <summary>Folders an interrupted build leaves in an unknown state.</summary>
    public IReadOnlyList<string> InterruptibleFolders => [Tree, Build];

    private string At(string name) => Path.Combine(Root, name);
}
