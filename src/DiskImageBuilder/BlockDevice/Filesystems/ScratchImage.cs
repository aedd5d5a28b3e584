namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// A sparse temporary file of a region's size next to the disk, for the mkfs programs that only work on whole
/// files (mkswap, mkfs.btrfs --rootdir, mkfs.xfs -p). Next to the disk so it lands on the same filesystem,
/// which already has room for the disk; deleted on dispose, also after a failure or cancellation.
/// </summary>
internal sealed class ScratchImage : IDisposable
{
    private ScratchImage(string path) => Path = path;

    /// <summary>The temporary file's absolute path.</summary>
    public string Path { get; }

    /// <summary>Creates the sparse file of <paramref name="sizeBytes"/> bytes.</summary>
    public static ScratchImage Create(string diskPath, string kind, long sizeBytes)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(diskPath))!;
        var path = System.IO.Path.Combine(folder,
            $".{System.IO.Path.GetFileName(diskPath)}.{kind}-{Guid.NewGuid():N}.tmp");
        var image = new ScratchImage(path);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.SetLength(sizeBytes);
        }
        catch
        {
            image.Dispose();
            throw;
        }
        return image;
    }

    /// <summary>A sibling path for another temporary file or folder, removed with this one.</summary>
    public string Sibling(string suffix) => Path + "." + suffix;

    public void Dispose()
    {
        File.Delete(Path);
        foreach (var sibling in Directory.EnumerateFileSystemEntries(System.IO.Path.GetDirectoryName(Path)!,
                     System.IO.Path.GetFileName(Path) + ".*"))
        {
            if (Directory.Exists(sibling))
                Directory.Delete(sibling, recursive: true);
            else
                File.Delete(sibling);
        }
    }
}
