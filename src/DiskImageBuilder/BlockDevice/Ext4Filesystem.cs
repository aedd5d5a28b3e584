using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Creates an ext4 filesystem filled from a tree straight into a region of the disk file
/// (mke2fs -d with -E offset=), with no loop device and no mount.
/// </summary>
public sealed class Ext4Filesystem(ProcessRunner runner)
{
    public async Task CreateAsync(string diskPath, long offsetBytes, long sizeBytes, string tree, string label, Guid uuid,
        long inodes, CancellationToken cancellationToken)
    {
        var sizeKiB = (sizeBytes / 1024).ToString(CultureInfo.InvariantCulture);
        var result = await runner.RunAsync(new ProcessSpec("mke2fs",
        [
            "-q", "-F", "-t", "ext4",
            "-L", label,
            "-U", uuid.ToString(),
            "-N", inodes.ToString(CultureInfo.InvariantCulture),
            // 1 % reserved for root instead of 5 %: these are appliance images, not shared servers.
            "-m", "1",
            "-E", $"offset={offsetBytes.ToString(CultureInfo.InvariantCulture)},root_owner=0:0",
            "-d", tree,
            diskPath, sizeKiB + "k",
        ], OutputPrefix: "mke2fs: "), cancellationToken);
        if (result.Succeeded)
            return;
        if (DiskSpace.IsOutOfSpace(result.Tail))
            throw DiskSpace.OutOfSpace(diskPath, "Writing the root filesystem", sizeBytes, result.Tail);
        var text = string.Join(Environment.NewLine, result.Tail);
        if (text.Contains("Could not allocate", StringComparison.OrdinalIgnoreCase)
            || text.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || text.Contains("inodes", StringComparison.OrdinalIgnoreCase) && text.Contains("exhausted", StringComparison.OrdinalIgnoreCase))
            throw new DibException(ErrorCodes.FilesystemTooSmall,
                $"The root filesystem of {sizeBytes / FilesystemSizing.MiB} MiB is too small for the tree at {tree}. " +
                "Set a larger ImageSize, or leave ImageSize empty to compute it from the tree." + Environment.NewLine + text);
        throw new DibException(ErrorCodes.FilesystemFailed,
            $"mke2fs failed with exit code {result.ExitCode}: {result.CommandLine}{Environment.NewLine}{text}");
    }
}
