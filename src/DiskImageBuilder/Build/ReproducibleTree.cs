using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Build;

/// <summary>
/// Makes the finished tree independent of when and where it was built, before filesystems or archives are made from it
/// (with SOURCE_DATE_EPOCH only): the logs that record the build's own time are emptied, the caches and seeds that hold
/// inode numbers or random bytes are removed (each program makes them again), and the times are clamped: every
/// modification time later than the epoch becomes the epoch (earlier ones, such as the packages' own, stay), and every
/// access time becomes the epoch (mke2fs copies both, and reading a file during the build moves its access time).
/// Symbolic links are touched themselves, never followed; nothing outside the tree is touched.
/// </summary>
public static class ReproducibleTree
{
    /// <summary>Logs of the build (dpkg, apt, update-alternatives, the bootstrap): emptied, so the files, owners and modes stay.</summary>
    public static readonly IReadOnlyList<string> EmptiedLogs =
        ["var/log/dpkg.log", "var/log/alternatives.log", "var/log/bootstrap.log", "var/log/apt/history.log", "var/log/apt/term.log"];

    /// <summary>Removed: ldconfig's cache of inode numbers and times, systemd's random seed, apt's solver dump, dpkg's and debconf's backups.</summary>
    public static readonly IReadOnlyList<string> RemovedFiles =
    [
        "var/cache/ldconfig/aux-cache", "var/lib/systemd/random-seed", "var/log/apt/eipp.log.xz",
        "var/lib/dpkg/status-old", "var/lib/dpkg/available-old", "var/lib/dpkg/diversions-old", "var/lib/dpkg/statoverride-old",
        "var/cache/debconf/config.dat-old", "var/cache/debconf/templates.dat-old", "var/cache/debconf/passwords.dat-old",
    ];

    /// <summary>What the build log says once the tree is prepared.</summary>
    public static string Summary(long epoch) =>
        $"Tree times clamped to SOURCE_DATE_EPOCH {epoch} ({DateTimeOffset.FromUnixTimeSeconds(epoch):yyyy-MM-dd HH:mm:ss} UTC); " +
        "build logs emptied, random seeds and inode caches removed";

    public static async Task PrepareAsync(ProcessRunner runner, string tree, long epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        foreach (var log in EmptiedLogs)
        {
            var path = Path.Combine(tree, log);
            if (File.Exists(path) && new FileInfo(path).LinkTarget is null)
                await File.WriteAllBytesAsync(path, [], cancellationToken);
        }
        foreach (var file in RemovedFiles)
        {
            var path = Path.Combine(tree, file);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
                File.Delete(path);
        }
        var at = "@" + epoch.ToString(CultureInfo.InvariantCulture);
        await runner.RunCheckedAsync(new ProcessSpec("sh", ["-c",
            "find \"$1\" -xdev -print0 | xargs -0 -r touch -h -a -d \"$2\" && find \"$1\" -xdev -newermt \"$2\" -print0 | xargs -0 -r touch -h -m -d \"$2\"",
            "clamp-tree-times", tree, at], OutputPrefix: "clamp: "), ErrorCodes.ConversionFailed, $"Clamping the tree's times to SOURCE_DATE_EPOCH {epoch}",
            cancellationToken);
    }
}
