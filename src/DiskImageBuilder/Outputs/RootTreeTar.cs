using System.Formats.Tar;
using System.Text;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a root tree as a tar archive: the SDK's tar and tgz formats and the layer of its container images.
/// Owns what an archive of a built tree contains: numeric owners, modes, whole-second mtimes (optionally clamped),
/// symbolic links as links, hard links as link entries, file capabilities and user xattrs; no device nodes.
/// </summary>
/// <remarks>
/// Entries come in ordinal path order and carry only numeric owners (no user or group names, which would be the
/// build host's), so the same tree gives the same bytes. System.Formats.Tar writes the ustar headers and the file
/// data; <see cref="PaxExtendedHeader"/> writes the pax records that a ustar header cannot hold (long or non-ASCII
/// names, xattrs, large ids), see there for why.
/// </remarks>
public sealed class RootTreeTar(ProcessRunner runner, IBuildLog log)
{
    /// <summary>
    /// The tree's /dev keeps only the directory itself: whatever is below it (device nodes made by debootstrap or by
    /// a script, FIFOs, links to /proc) belongs to the machine or container that runs the image, which provides its
    /// own /dev.
    /// </summary>
    private const string DevDirectoryPrefix = "dev/";

    /// <summary>Large writes to the destination; tar writes each 512-byte header on its own.</summary>
    private const int DestinationBufferSize = 1024 * 1024;

    /// <summary>Writes the archive of <paramref name="tree"/> to <paramref name="destination"/>, which stays open.</summary>
    /// <param name="tree">Absolute path of the root tree; the archive holds what is below it, without a "./" entry.</param>
    /// <exception cref="DibException">DIB4001 when the tree is missing or a file in it cannot be read or archived.</exception>
    public async Task WriteAsync(string tree, Stream destination, RootTreeTarOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        RequireTree(tree);

        var listed = await TreeListing.ReadAsync(runner, tree, cancellationToken);
        var xattrs = await TreeXattrs.ReadAsync(runner, tree, cancellationToken);
        var entries = listed.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        long? clamp = options.MtimeClamp?.ToUnixTimeSeconds();

        var buffered = new BufferedStream(destination, DestinationBufferSize);
        var firstNameOfInode = new Dictionary<(ulong Device, ulong Inode), string>();
        int written = 0, skippedUnderDev = 0;
        var tar = new TarWriter(buffered, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Path.StartsWith(DevDirectoryPrefix, StringComparison.Ordinal))
            {
                skippedUnderDev++;
                continue;
            }
            if (entry.Type is TreeEntryType.CharacterDevice or TreeEntryType.BlockDevice or TreeEntryType.Socket)
            {
                // Device nodes outside /dev are never legitimate image content and would give a container the
                // host's devices; sockets cannot be archived at all (GNU tar skips them too).
                log.Detail($"Not archived: {entry.Path} ({entry.Type}).");
                continue;
            }

            string? hardLinkTarget = null;
            if (entry.Type != TreeEntryType.Directory && entry.LinkCount > 1 &&
                !firstNameOfInode.TryAdd((entry.Device, entry.Inode), entry.Path))
                hardLinkTarget = firstNameOfInode[(entry.Device, entry.Inode)];

            WriteEntry(tar, buffered, tree, entry, hardLinkTarget,
                hardLinkTarget is null ? xattrs.GetValueOrDefault(entry.Path) : null, clamp);
            written++;
        }
        // Dispose writes the two zero blocks that end an archive; it is skipped on failure, so that a second write
        // error cannot hide the first one (the writer holds nothing else).
        tar.Dispose();
        buffered.Flush();
        log.Detail($"Archived {written} entries of {tree}; left out {skippedUnderDev} below /dev.");
    }

    /// <summary>Throws DIB4001 unless <paramref name="tree"/> is an existing directory.</summary>
    internal static void RequireTree(string tree)
    {
        ArgumentException.ThrowIfNullOrEmpty(tree);
        if (!Path.IsPathFullyQualified(tree))
            throw new ArgumentException($"The root tree must be an absolute path: '{tree}'.", nameof(tree));
        if (!Directory.Exists(tree))
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The root tree '{tree}' does not exist or is not a directory, so no archive can be made from it.");
    }

    private static void WriteEntry(TarWriter tar, Stream archive, string tree, TreeEntry entry, string? hardLinkTarget,
        IReadOnlyList<KeyValuePair<string, byte[]>>? xattrs, long? clamp)
    {
        var records = new List<KeyValuePair<string, byte[]>>();
        // A trailing slash marks directories for readers that look at names only, as GNU tar writes them.
        var name = entry.Type == TreeEntryType.Directory ? entry.Path + "/" : entry.Path;
        var type = hardLinkTarget is not null ? TarEntryType.HardLink : entry.Type switch
        {
            TreeEntryType.RegularFile => TarEntryType.RegularFile,
            TreeEntryType.Directory => TarEntryType.Directory,
            TreeEntryType.SymbolicLink => TarEntryType.SymbolicLink,
            TreeEntryType.Fifo => TarEntryType.Fifo,
            _ => throw new InvalidOperationException($"{entry.Type} entries are filtered out before this point."),
        };
        var linkName = hardLinkTarget ?? entry.LinkTarget;

        long uid = MoveToRecordIfOver(entry.Uid, UstarLimits.MaxId, PaxExtendedHeader.UidKeyword, records);
        long gid = MoveToRecordIfOver(entry.Gid, UstarLimits.MaxId, PaxExtendedHeader.GidKeyword, records);
        long mtime = clamp is { } limit && entry.ModificationTime > limit ? limit : entry.ModificationTime;
        if (mtime < 0)
        {
            // System.Formats.Tar refuses times before 1970; the pax record carries them.
            records.Add(PaxExtendedHeader.NumberRecord(PaxExtendedHeader.MtimeKeyword, mtime));
            mtime = 0;
        }
        else
        {
            mtime = MoveToRecordIfOver(mtime, UstarLimits.MaxSizeOrTime, PaxExtendedHeader.MtimeKeyword, records);
        }
        foreach (var (attribute, value) in xattrs ?? [])
            records.Add(new(PaxExtendedHeader.XattrKeywordPrefix + attribute, value));

        FileStream? data = null;
        if (type == TarEntryType.RegularFile)
            data = OpenData(Path.Combine(tree, entry.Path));
        using (data)
        {
            // A file too large for the ustar size field goes out as .NET's own pax entry, which writes the size as a
            // pax record; its header name carries the process id, so only archives with such files differ between runs.
            bool large = data is not null && data.Length > UstarLimits.MaxSizeOrTime;
            TarEntry tarEntry = large
                ? new PaxTarEntry(type, name)
                : new UstarTarEntry(type, FitUstarText(name, PaxExtendedHeader.PathKeyword, records));
            if (linkName is not null)
                tarEntry.LinkName = large ? linkName : FitUstarText(linkName, PaxExtendedHeader.LinkPathKeyword, records);
            tarEntry.Mode = entry.Mode;
            tarEntry.Uid = (int)uid;
            tarEntry.Gid = (int)gid;
            tarEntry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(mtime);
            if (data is not null)
                tarEntry.DataStream = data;

            if (records.Count > 0)
                PaxExtendedHeader.Write(archive, records);
            try
            {
                // Synchronous on purpose: .NET's asynchronous file reads on Linux go through the thread pool, which made
                // archiving /usr/lib (4.6 GiB, 79,000 files) take 19.5 s instead of 12 s. Cancellation is checked per entry.
                tar.WriteEntry(tarEntry);
            }
            catch (IOException ex)
            {
                throw new DibException(ErrorCodes.ConversionFailed,
                    $"Reading {Path.Combine(tree, entry.Path)} into the archive failed: {ex.Message}", inner: ex);
            }
        }
    }

    /// <summary>Returns <paramref name="value"/>, or 0 after adding a pax record for it when the ustar field cannot hold it.</summary>
    private static long MoveToRecordIfOver(long value, long max, string keyword, List<KeyValuePair<string, byte[]>> records)
    {
        if (value <= max)
            return value;
        records.Add(PaxExtendedHeader.NumberRecord(keyword, value));
        return 0;
    }

    /// <summary>
    /// Returns <paramref name="text"/> when the 100-byte ustar field holds it as ASCII; otherwise adds a pax record
    /// with the exact UTF-8 text and returns an ASCII stand-in that only readers without pax support ever see.
    /// </summary>
    private static string FitUstarText(string text, string keyword, List<KeyValuePair<string, byte[]>> records)
    {
        if (text.Length <= UstarLimits.MaxNameBytes && Ascii.IsValid(text))
            return text;
        records.Add(PaxExtendedHeader.TextRecord(keyword, text));
        var standIn = new StringBuilder(UstarLimits.MaxNameBytes);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, UstarLimits.MaxNameBytes)))
            standIn.Append(char.IsAscii(c) ? c : '_');
        return standIn.ToString();
    }

    /// <summary>Opens a file of the tree for one sequential read; DIB4001 names it when it cannot be read.</summary>
    internal static FileStream OpenData(string path)
    {
        try
        {
            // No FileStream buffer: tar copies whole buffers, and a second buffer would only copy the bytes twice.
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (UnauthorizedAccessException) when (Sandbox.UserNamespace.Current is not null)
        {
            // A rootless build: a file in a folder of another of the image's owners is read as root of the namespace.
            try
            {
                return Sandbox.NamespaceFileReader.OpenCopy(path);
            }
            catch (IOException ex)
            {
                throw new DibException(ErrorCodes.ConversionFailed, $"Cannot read {path} for the archive: {ex.Message}", inner: ex);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DibException(ErrorCodes.ConversionFailed,
                $"Cannot read {path} for the archive: {ex.Message} (the tree is read as root; run the build as root).", inner: ex);
        }
    }
}
