using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>Picks the writer for each filesystem type; all of them run their tools through one runner.</summary>
public sealed class FilesystemWriters(ProcessRunner runner)
{
    /// <summary>The writer that makes <paramref name="type"/>.</summary>
    public IFilesystemWriter For(FilesystemType type) => type switch
    {
        FilesystemType.Ext2 or FilesystemType.Ext3 or FilesystemType.Ext4 => new ExtFilesystemWriter(runner),
        FilesystemType.Vfat => new VfatFilesystemWriter(runner),
        FilesystemType.Swap => new SwapFilesystemWriter(runner),
        FilesystemType.Btrfs => new BtrfsFilesystemWriter(runner),
        FilesystemType.Xfs => new XfsFilesystemWriter(runner),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
