using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice;

/// <summary>What a root tree occupies: bytes on disk and inodes, hard links counted once.</summary>
public sealed record TreeUsage(long Bytes, long Inodes)
{
    /// <summary>Measures with du, staying on one filesystem (-x) and never following links.</summary>
    public static async Task<TreeUsage> MeasureAsync(ProcessRunner runner, string tree, CancellationToken cancellationToken)
    {
        var bytes = await RunDuAsync(runner, ["-sx", "--block-size=1", tree], cancellationToken);
        var inodes = await RunDuAsync(runner, ["-sx", "--inodes", tree], cancellationToken);
        return new TreeUsage(bytes, inodes);
    }

    private static async Task<long> RunDuAsync(ProcessRunner runner, string[] args, CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(new ProcessSpec("du", args), ErrorCodes.FilesystemFailed,
            "Measuring the root tree", cancellationToken);
        var first = result.Tail.LastOrDefault() ?? "";
        return long.Parse(first.Split('\t', 2)[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
