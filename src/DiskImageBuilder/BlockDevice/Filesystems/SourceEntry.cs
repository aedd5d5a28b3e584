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
        return Sandbox.UserNamespace.Current is null ? ReadEntry(full, "/", status) : ReadListed(full, status);
    }

    /// <summary>
    /// A rootless build: the user may not list or stat what lies in folders of the image's other owners (mode 0700), so
    /// find lists the tree inside the build's user namespace (<see cref="Outputs.TreeListing"/>), with the owners a root
    /// build sees. No device node can be in such a tree (the namespace cannot make one), so device numbers are 0.
    /// </summary>
    private static SourceEntry ReadListed(string root, UnixFileStatus rootStatus)
    {
        var listed = Outputs.TreeListing.ReadAsync(new Processes.ProcessRunner(Diagnostics.NullBuildLog.Instance), root, CancellationToken.None)
            .GetAwaiter().GetResult();
        var children = listed.ToLookup(e => e.Path.Contains('/', StringComparison.Ordinal) ? e.Path[..e.Path.LastIndexOf('/')] : "");
        SourceEntry Build(Outputs.TreeEntry entry)
        {
            var status = new UnixFileStatus((ushort)(TypeBits(entry.Type) | (int)entry.Mode), (uint)entry.Uid, (uint)entry.Gid,
                (uint)entry.LinkCount, entry.Inode, entry.Device, entry.Size, 0, 0);
            var below = entry.Type == Outputs.TreeEntryType.Directory
                ? children[entry.Path].OrderBy(c => c.Path, StringComparer.Ordinal).Select(Build).ToList()
                : [];
            return new SourceEntry(Path.Combine(root, entry.Path), "/" + entry.Path, status, entry.LinkTarget, below);
        }
        return new SourceEntry(root, "/", rootStatus, null, [.. children[""].OrderBy(c => c.Path, StringComparer.Ordinal).Select(Build)]);
    }

    private static int TypeBits(Outputs.TreeEntryType type) => type switch
    {
        Outputs.TreeEntryType.RegularFile => 0x8000,
        Outputs.TreeEntryType.Directory => 0x4000,
        Outputs.TreeEntryType.SymbolicLink => 0xA000,
        Outputs.TreeEntryType.CharacterDevice => 0x2000,
        Outputs.TreeEntryType.BlockDevice => 0x6000,
        Outputs.TreeEntryType.Fifo => 0x1000,
        _ => 0xC000,
    };

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
