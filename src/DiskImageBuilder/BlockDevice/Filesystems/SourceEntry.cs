namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>One file of a source tree, read without following symlinks; directories carry their children.</summary>
/// <param name="FullPath">The absolute path on the host.</param>
/// <param name="RelativePath">The path inside the new filesystem, starting with "/" ("/" for the root).</param>
internal sealed record SourceEntry(
    string FullPath,
    string RelativePath,
    UnixFileStatus Status,
    string? LinkTarget,
    IReadOnlyList<SourceEntry> Children)
{
    /// <summary>The entry's name in its directory ("" for the root).</summary>
    public string Name => Path.GetFileName(RelativePath);

    /// <summary>Reads the tree under <paramref name="root"/>, children in ordinal name order.</summary>
    public static SourceEntry Read(string root)
    {
        var full = Path.GetFullPath(root);
        var status = LinuxFiles.LStat(full);
        if (status.Kind != SourceEntryKind.Directory)
            throw new DirectoryNotFoundException($"The filesystem source {root} is not a directory.");
        return ReadEntry(full, "/", status);
    }

    /// <summary>This entry and every entry below it, parents before children.</summary>
    public IEnumerable<SourceEntry> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var entry in child.DescendantsAndSelf())
                yield return entry;
        }
    }

    /// <summary>Roughly the bytes the content needs: each file rounded up to 4 KiB, plus a block per directory.</summary>
    public long EstimatedBytes() => DescendantsAndSelf().Sum(e => e.Status.Kind switch
    {
        SourceEntryKind.File => (e.Status.Size + 4095) / 4096 * 4096,
        _ => 4096,
    });

    private static SourceEntry ReadEntry(string fullPath, string relativePath, UnixFileStatus status)
    {
        if (status.Kind == SourceEntryKind.Symlink)
            return new SourceEntry(fullPath, relativePath, status, new FileInfo(fullPath).LinkTarget, []);
        if (status.Kind != SourceEntryKind.Directory)
            return new SourceEntry(fullPath, relativePath, status, null, []);
        var children = Directory.EnumerateFileSystemEntries(fullPath)
            .Select(Path.GetFileName)
            .OrderBy(name => name, StringComparer.Ordinal)
            .Select(name => ReadEntry(Path.Combine(fullPath, name!), relativePath.TrimEnd('/') + "/" + name,
                LinuxFiles.LStat(Path.Combine(fullPath, name!))))
            .ToList();
        return new SourceEntry(fullPath, relativePath, status, null, children);
    }
}
