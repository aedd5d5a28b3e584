namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>The YAML names of <see cref="FilesystemType"/> and what each filesystem allows in a label.</summary>
public static class FilesystemTypes
{
    private static readonly Dictionary<string, FilesystemType> ByName = new(StringComparer.Ordinal)
    {
        ["ext2"] = FilesystemType.Ext2,
        ["ext3"] = FilesystemType.Ext3,
        ["ext4"] = FilesystemType.Ext4,
        ["xfs"] = FilesystemType.Xfs,
        ["vfat"] = FilesystemType.Vfat,
        ["btrfs"] = FilesystemType.Btrfs,
        ["swap"] = FilesystemType.Swap,
    };

    /// <summary>The names the YAML accepts, in the order messages list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    /// <summary>The type called <paramref name="name"/> (lower case, as mkfs -t spells it).</summary>
    public static bool TryParse(string? name, out FilesystemType type) => ByName.TryGetValue(name ?? "", out type);

    /// <summary>The YAML name of <paramref name="type"/>.</summary>
    public static string Name(this FilesystemType type) => ByName.First(pair => pair.Value == type).Key;

    /// <summary>
    /// The longest label, in bytes, that the filesystem stores whole: the label fields of the ext superblock (16),
    /// the XFS superblock (12), the FAT boot sector (11), btrfs (255) and the swap header, whose 16 bytes mkswap
    /// fills with at most 15 and a terminating zero (a 16-byte label is cut, with only a warning).
    /// </summary>
    public static int MaxLabelBytes(this FilesystemType type) => type switch
    {
        FilesystemType.Ext2 or FilesystemType.Ext3 or FilesystemType.Ext4 => 16,
        FilesystemType.Xfs => 12,
        FilesystemType.Vfat => 11,
        FilesystemType.Btrfs => 255,
        FilesystemType.Swap => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
