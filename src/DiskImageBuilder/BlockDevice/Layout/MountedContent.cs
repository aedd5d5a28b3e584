using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// Which part of the tree each filesystem holds: the directory at its mount point, less the directories of the
/// mount points nested below it (those stay as empty directories, the mount points). A filesystem without a
/// mount point (swap, or a mkfs node without mount) holds nothing.
/// </summary>
public static class MountedContent
{
    /// <summary>The mount points strictly below <paramref name="mountPoint"/> among <paramref name="all"/>.</summary>
    public static IReadOnlyList<string> NestedBelow(string mountPoint, IEnumerable<string> all)
    {
        var prefix = mountPoint == "/" ? "/" : mountPoint + "/";
        return [.. all.Where(m => m != mountPoint && m.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The directory in the tree for a mount point.</summary>
    public static string DirectoryOf(string tree, string mountPoint) =>
        mountPoint == "/" ? tree : Path.Combine(tree, mountPoint.TrimStart('/'));

    /// <summary>
    /// What each mount point's filesystem must hold: du of its directory less du of the nested mount points'
    /// directories (hard links counted once within each).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TreeUsage>> MeasureAsync(
        ProcessRunner runner, string tree, IReadOnlyCollection<string> mountPoints, CancellationToken cancellationToken)
    {
        var raw = new Dictionary<string, TreeUsage>(StringComparer.Ordinal);
        foreach (var mountPoint in mountPoints)
        {
            // A mount point that a script turned into a link must not send du (or mkfs) out of the tree.
            TreePaths.Check(tree, mountPoint, "fills a filesystem from");
            var directory = DirectoryOf(tree, mountPoint);
            raw[mountPoint] = Directory.Exists(directory)
                ? await TreeUsage.MeasureAsync(runner, directory, cancellationToken)
                : new TreeUsage(0, 1);
        }

        var result = new Dictionary<string, TreeUsage>(StringComparer.Ordinal);
        foreach (var mountPoint in mountPoints)
        {
            var own = raw[mountPoint];
            // Only the mount points directly below count: a deeper one is already inside its parent's figure.
            var nested = NestedBelow(mountPoint, mountPoints);
            var direct = nested.Where(n => !nested.Any(other => other != n && n.StartsWith(other + "/", StringComparison.Ordinal)));
            var bytes = own.Bytes - direct.Sum(n => raw[n].Bytes);
            var inodes = own.Inodes - direct.Sum(n => raw[n].Inodes);
            result[mountPoint] = new TreeUsage(Math.Max(0, bytes), Math.Max(1, inodes));
        }
        return result;
    }
}
