using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// The size of an ext4 filesystem that holds a tree: its data with 15 % headroom, room for the
/// inode tables, the journal, and a fixed margin for metadata, plus what the user asks extra.
/// diskimage-builder divides by 0.6 instead, which leaves images 40 % empty; growroot grows the
/// filesystem at first boot anyway.
/// </summary>
public static class FilesystemSizing
{
    public const long MiB = 1024 * 1024;
    public const long JournalBytes = 64 * MiB;
    private const long MetadataMarginBytes = 32 * MiB;
    private const long InodeSize = 256;
    private const long MinimumInodes = 32768;

    /// <summary>Inodes to create: half again what the tree has, so packages can still be installed.</summary>
    public static long InodeCount(TreeUsage usage) => Math.Max(usage.Inodes * 3 / 2, MinimumInodes);

    /// <summary>The filesystem size in bytes, a whole number of MiB.</summary>
    public static long Compute(TreeUsage usage, long extraBytes, long journalBytes = JournalBytes)
    {
        var bytes = usage.Bytes + usage.Bytes * 15 / 100 + InodeCount(usage) * InodeSize
            + journalBytes + MetadataMarginBytes + Math.Max(0, extraBytes);
        return RoundUpToMiB(bytes);
    }

    /// <summary>
    /// The size of a filesystem of <paramref name="type"/> that holds <paramref name="usage"/> plus
    /// <paramref name="extraBytes"/>, a whole number of MiB, never below what the mkfs program accepts.
    /// </summary>
    /// <param name="journalBytes">ext3/ext4: the journal's size (ImageJournalSize for the root filesystem).</param>
    public static long Compute(FilesystemType type, TreeUsage usage, long extraBytes, long journalBytes = JournalBytes) => type switch
    {
        FilesystemType.Ext2 => Compute(usage, extraBytes, 0),
        FilesystemType.Ext3 or FilesystemType.Ext4 => Compute(usage, extraBytes, journalBytes),
        // mkfs.xfs refuses filesystems under 300 MiB; its log is up to 64 MiB on small filesystems.
        FilesystemType.Xfs => Math.Max(300 * MiB, RoundUpToMiB(usage.Bytes * 120 / 100 + usage.Inodes * 512 + JournalBytes + MetadataMarginBytes + extraBytes)),
        // btrfs keeps data and metadata chunks apart, and metadata is duplicated on a single device.
        FilesystemType.Btrfs => Math.Max(128 * MiB, RoundUpToMiB(usage.Bytes * 130 / 100 + usage.Inodes * 1024 + 2 * MetadataMarginBytes + extraBytes)),
        // FAT: 10 % for clusters partly used, a cluster per file and room for the tables. Small ESPs (diskimage-builder's
        // tests use 8 MiB) are FAT12 or FAT16, which UEFI firmware reads; FAT32 only from 256 MiB (VfatFilesystemWriter).
        FilesystemType.Vfat => Math.Max(2 * MiB, RoundUpToMiB(usage.Bytes * 110 / 100 + usage.Inodes * 4096 + 2 * MiB + extraBytes)),
        FilesystemType.Swap => Math.Max(MiB, RoundUpToMiB(extraBytes)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static long RoundUpToMiB(long bytes) => (bytes + MiB - 1) / MiB * MiB;
}
