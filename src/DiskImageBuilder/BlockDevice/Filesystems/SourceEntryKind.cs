namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>The kinds of file a source tree holds.</summary>
internal enum SourceEntryKind
{
    File,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
