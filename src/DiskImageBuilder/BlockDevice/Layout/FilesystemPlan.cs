using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>One filesystem of a <see cref="DiskPlan"/>: what it is, where on the disk file it goes and what fills it.</summary>
/// <param name="Node">The mkfs node's name.</param>
/// <param name="Device">The block device it is made on: a partition's name, or image0.</param>
/// <param name="Type">The filesystem.</param>
/// <param name="OffsetBytes">Where it starts in the disk file.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Label">Its label, or null.</param>
/// <param name="Uuid">Its UUID (vfat: the volume id XXXX-XXXX).</param>
/// <param name="Options">Extra arguments for the mkfs program.</param>
/// <param name="MountPoint">Where it is mounted in the image (absolute), or null (swap, or no mount node).</param>
/// <param name="Inodes">ext only: the inodes to create; 0 lets mke2fs choose.</param>
public sealed record FilesystemPlan(
    string Node,
    string Device,
    FilesystemType Type,
    long OffsetBytes,
    long SizeBytes,
    string? Label,
    string Uuid,
    IReadOnlyList<string> Options,
    string? MountPoint,
    long Inodes);
