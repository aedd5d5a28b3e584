using System.Formats.Tar;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes the outer tar of an image archive (oci-archive, docker-archive): a handful of JSON files and blobs, owned
/// by root, all with one time, in the order they are added, so the same image gives the same archive bytes.
/// </summary>
/// <remarks>Synchronous, like <see cref="RootTreeTar"/>: copying a layer of gigabytes is much faster that way on Linux.</remarks>
internal sealed class ImageArchiveWriter(Stream archive, DateTimeOffset time)
{
    private const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode DirectoryMode = FileMode |
        UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    // Ustar entries carry no pax header, whose name .NET derives from the process id.
    private readonly TarWriter _tar = new(archive, TarEntryFormat.Ustar, leaveOpen: true);

    /// <summary>The time is clamped to 1970, the earliest a tar header holds.</summary>
    private readonly DateTimeOffset _time = time < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : time;

    /// <summary>A directory entry; extractors create parents anyway, but some listing tools expect them.</summary>
    public void AddDirectory(string name) =>
        Write(new UstarTarEntry(TarEntryType.Directory, name.TrimEnd('/') + "/"), DirectoryMode, null);

    public void AddBytes(string name, byte[] content)
    {
        using var data = new MemoryStream(content, writable: false);
        Write(new UstarTarEntry(TarEntryType.RegularFile, name), FileMode, data);
    }

    /// <summary>Copies a file (a layer) into the archive.</summary>
    public void AddFile(string name, string path)
    {
        using var data = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        AddStream(name, data);
    }

    /// <summary>Copies a seekable stream from its current position to its end (a blob of another archive).</summary>
    public void AddStream(string name, Stream data)
    {
        // A layer too large for the ustar size field goes out as .NET's pax entry, which records the size.
        TarEntry entry = data.Length - data.Position > UstarLimits.MaxSizeOrTime
            ? new PaxTarEntry(TarEntryType.RegularFile, name)
            : new UstarTarEntry(TarEntryType.RegularFile, name);
        Write(entry, FileMode, data);
    }

    /// <summary>
    /// Writes the two zero blocks that end an archive. Not a Dispose: after a failure nothing more is written, so a
    /// second error cannot hide the first, and the partial file is deleted anyway.
    /// </summary>
    public void Finish() => _tar.Dispose();

    private void Write(TarEntry entry, UnixFileMode mode, Stream? data)
    {
        entry.Mode = mode;
        entry.ModificationTime = _time;
        if (data is not null)
            entry.DataStream = data;
        _tar.WriteEntry(entry);
    }
}
