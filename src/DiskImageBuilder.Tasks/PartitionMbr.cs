using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes the MBR partition table of an MBR layout with the SDK's own writer (<see cref="DiskBuilder.WriteMbr"/>; no parted,
/// sfdisk or fdisk): primary partitions, an extended partition with one boot record per logical partition, boot flag,
/// type byte, 255/63 CHS, the disk signature (DiskSignature, or random). Boot code already in bytes 0..439 is kept.
/// </summary>
public sealed class PartitionMbr : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        new DiskBuilder(Plan, log).WriteMbr();
        return Task.CompletedTask;
    }
}
