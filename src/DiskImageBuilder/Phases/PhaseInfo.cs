namespace DiskImageBuilder.Phases;

/// <summary>One build phase: the element subdirectory that holds its scripts and where they run.</summary>
/// <param name="Directory">The phase directory name inside an element, e.g. <c>install.d</c>.</param>
/// <param name="InChroot">True when the scripts run inside the image's chroot, false when they run on the build host.</param>
public sealed record PhaseInfo(string Directory, bool InChroot);
