namespace DiskImageBuilder.Phases;

/// <summary>The ten phases of diskimage-builder, in order, and where each runs.</summary>
public sealed record PhaseInfo(string Directory, bool InChroot);

public static class PhaseNames
{
    public static readonly IReadOnlyList<PhaseInfo> All =
    [
        new("root.d", false), new("extra-data.d", false), new("pre-install.d", true), new("install.d", true),
        new("post-install.d", true), new("post-root.d", false), new("block-device.d", false),
        new("pre-finalise.d", false), new("finalise.d", true), new("cleanup.d", false),
    ];

    public static PhaseInfo? Find(string directory) => All.FirstOrDefault(p => p.Directory == directory);
}
