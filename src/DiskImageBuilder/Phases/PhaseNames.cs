namespace DiskImageBuilder.Phases;

/// <summary>
/// The ten diskimage-builder phases in the order a build runs them, and where each one runs.
/// <c>environment.d</c> is not a phase: its files are sourced at the start of every phase.
/// </summary>
public static class PhaseNames
{
    /// <summary>Creates the initial root tree (outside).</summary>
    public const string Root = "root.d";

    /// <summary>Pulls host data and sources into the hooks directory (outside).</summary>
    public const string ExtraData = "extra-data.d";

    /// <summary>Repositories, keys and package manager configuration (chroot).</summary>
    public const string PreInstall = "pre-install.d";

    /// <summary>Package installs and software setup (chroot).</summary>
    public const string Install = "install.d";

    /// <summary>Service enablement and cache cleaning (chroot).</summary>
    public const string PostInstall = "post-install.d";

    /// <summary>Heavy copy-in work before the image is sized (outside).</summary>
    public const string PostRoot = "post-root.d";

    /// <summary>Legacy block device creation (outside).</summary>
    public const string BlockDevice = "block-device.d";

    /// <summary>Work on the tree after it is on the real filesystems, before finalise (outside).</summary>
    public const string PreFinalise = "pre-finalise.d";

    /// <summary>Bootloader, SELinux relabel, initrd (chroot).</summary>
    public const string Finalise = "finalise.d";

    /// <summary>Undo build-time settings, extract kernels, copy manifests out (outside).</summary>
    public const string Cleanup = "cleanup.d";

    /// <summary>Every phase, in run order.</summary>
    public static IReadOnlyList<PhaseInfo> All { get; } =
    [
        new(Root, InChroot: false),
        new(ExtraData, InChroot: false),
        new(PreInstall, InChroot: true),
        new(Install, InChroot: true),
        new(PostInstall, InChroot: true),
        new(PostRoot, InChroot: false),
        new(BlockDevice, InChroot: false),
        new(PreFinalise, InChroot: false),
        new(Finalise, InChroot: true),
        new(Cleanup, InChroot: false),
    ];

    /// <summary>The phase whose directory is <paramref name="directory"/> (e.g. <c>install.d</c>), or null.</summary>
    public static PhaseInfo? Find(string directory) =>
        All.FirstOrDefault(phase => string.Equals(phase.Directory, directory, StringComparison.Ordinal));
}
