namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>The filesystems a <c>mkfs</c> node can make; <see cref="FilesystemTypes"/> maps them to their names.</summary>
public enum FilesystemType
{
    /// <summary><c>ext2</c>.</summary>
    Ext2,

    /// <summary><c>ext3</c>.</summary>
    Ext3,

    /// <summary><c>ext4</c>.</summary>
    Ext4,

    /// <summary><c>xfs</c>.</summary>
    Xfs,

    /// <summary><c>vfat</c> (the EFI system partition).</summary>
    Vfat,

    /// <summary><c>btrfs</c>.</summary>
    Btrfs,

    /// <summary><c>swap</c> (mkswap; never mounted).</summary>
    Swap,
}
