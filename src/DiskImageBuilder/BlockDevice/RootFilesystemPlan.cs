using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// The layout of block-device-mbr: one bootable Linux partition (type 0x83) at 1 MiB holding the
/// root ext4 filesystem, and the size of the disk around it.
/// </summary>
public sealed record RootFilesystemPlan(long DiskBytes, MbrPartition Root, long Inodes)
{
    public const byte LinuxPartitionType = 0x83;

    /// <param name="usage">What the tree occupies.</param>
    /// <param name="imageSize">The whole disk's size when the user fixed it (ImageSize), else null.</param>
    /// <param name="extraBytes">Space to add on top of the computed size (ImageExtraSize).</param>
    public static RootFilesystemPlan Create(TreeUsage usage, long? imageSize, long extraBytes)
    {
        var needed = FilesystemSizing.Compute(usage, 0);
        // Whole MiB always: partitions are MiB-aligned, and a fixed VHD for Azure must be a whole MiB.
        var diskBytes = imageSize is { } fixedSize
            ? FilesystemSizing.RoundUpToMiB(fixedSize)
            : MbrLayout.AlignmentBytes + FilesystemSizing.Compute(usage, extraBytes);
        if (diskBytes - MbrLayout.AlignmentBytes < needed)
            throw new DibException(ErrorCodes.FilesystemTooSmall,
                $"ImageSize {imageSize / FilesystemSizing.MiB} MiB is too small: the root tree needs a filesystem of at least " +
                $"{needed / FilesystemSizing.MiB} MiB, so a disk of at least {(needed + MbrLayout.AlignmentBytes) / FilesystemSizing.MiB} MiB. " +
                "Raise ImageSize, or leave it empty to compute it from the tree.");
        var partitions = MbrLayout.Plan(diskBytes, [new PartitionRequest("root", 0, LinuxPartitionType, Bootable: true)]);
        return new RootFilesystemPlan(diskBytes, partitions[0], FilesystemSizing.InodeCount(usage));
    }
}
