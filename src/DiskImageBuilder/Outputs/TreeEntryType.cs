namespace DiskImageBuilder.Outputs;

/// <summary>The kind of a file in a root tree, as find's %y reports it (symbolic links are never followed).</summary>
internal enum TreeEntryType
{
    RegularFile,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
