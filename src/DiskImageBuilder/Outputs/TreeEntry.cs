namespace DiskImageBuilder.Outputs;

/// <summary>One file of a root tree with the lstat facts a tar entry needs.</summary>
/// <param name="Path">Relative to the tree, '/'-separated, without a leading "./".</param>
/// <param name="Device">st_dev: with <paramref name="Inode"/>, what makes two names the same file.</param>
/// <param name="LinkCount">st_nlink: above 1, other names of the same inode may follow.</param>
/// <param name="Mode">Permission bits including set-user-ID, set-group-ID and sticky (07777).</param>
/// <param name="ModificationTime">st_mtime in whole seconds since the epoch; may be negative.</param>
/// <param name="LinkTarget">The target of a symbolic link exactly as stored; null for other types.</param>
internal sealed record TreeEntry(
    string Path,
    TreeEntryType Type,
    ulong Device,
    ulong Inode,
    long LinkCount,
    long Uid,
    long Gid,
    UnixFileMode Mode,
    long ModificationTime,
    long Size,
    string? LinkTarget);
