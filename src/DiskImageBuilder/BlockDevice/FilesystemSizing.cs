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
    public static long Compute(TreeUsage usage, long extraBytes)
    {
        var bytes = usage.Bytes + usage.Bytes * 15 / 100 + InodeCount(usage) * InodeSize
            + JournalBytes + MetadataMarginBytes + Math.Max(0, extraBytes);
        return RoundUpToMiB(bytes);
    }

    public static long RoundUpToMiB(long bytes) => (bytes + MiB - 1) / MiB * MiB;
}
