namespace DiskImageBuilder.Caching;

/// <summary>
/// The four stages of the root tree, each a group of phases whose result is cached as a whole:
/// root (root.d, extra-data.d), install (pre-install.d, install.d, post-install.d),
/// post-root (post-root.d, block-device.d) and finalise (pre-finalise.d, finalise.d, cleanup.d).
/// </summary>
public sealed record TreeStage(string Name, IReadOnlyList<string> Phases)
{
    public static readonly IReadOnlyList<TreeStage> All =
    [
        new("root", ["root.d", "extra-data.d"]),
        new("install", ["pre-install.d", "install.d", "post-install.d"]),
        new("post-root", ["post-root.d", "block-device.d"]),
        new("finalise", ["pre-finalise.d", "finalise.d", "cleanup.d"]),
    ];
}
