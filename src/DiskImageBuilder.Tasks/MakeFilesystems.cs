using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills the disk's filesystems from the finished tree, each straight into its byte range of the disk file
/// (<see cref="DiskBuilder.MakeFilesystemsAsync"/>: mke2fs -d, mkfs.fat and mcopy, mkfs.xfs with a prototype file,
/// mkfs.btrfs --rootdir, mkswap).
/// </summary>
public sealed class MakeFilesystems : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log) => new DiskBuilder(Plan, log).MakeFilesystemsAsync(CancellationToken);
}
