namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>What statx says about one path: type and permission bits, owner, links and device numbers.</summary>
internal sealed record UnixFileStatus(
    ushort Mode, uint Uid, uint Gid, uint Links, ulong Inode, ulong Device, long Size, uint RdevMajor, uint RdevMinor)
{
    private const int TypeMask = 0xF000;

    /// <summary>The kind of file, from the S_IFMT bits.</summary>
    public SourceEntryKind Kind => (Mode & TypeMask) switch
    {
        0x8000 => SourceEntryKind.File,
        0x4000 => SourceEntryKind.Directory,
        0xA000 => SourceEntryKind.Symlink,
        0x2000 => SourceEntryKind.CharacterDevice,
        0x6000 => SourceEntryKind.BlockDevice,
        0x1000 => SourceEntryKind.Fifo,
        _ => SourceEntryKind.Socket,
    };

    /// <summary>Permission bits with setuid (4000), setgid (2000) and sticky (1000).</summary>
    public int Permissions => Mode & 0xFFF;
}
