using System.Globalization;
using System.Text;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a root tree as a cpio archive in the "newc" format, the one format the Linux kernel unpacks into its
/// initial root filesystem. The archive is what a machine runs from RAM: the tree in ordinal path order with numeric
/// owners, modes and whole-second mtimes; hard links share one inode number and carry the data once, with the first
/// name (the kernel links the later names to it); /dev holds only /dev/console, which the kernel opens for init's
/// output before anything mounts devtmpfs; /boot holds no files (the kernel and an initrd are not needed inside the
/// system they booted). When the tree has no /init, a symbolic link /init to /sbin/init is added: the kernel runs
/// /init from an initramfs, and without it would look for a root disk instead.
/// </summary>
/// <remarks>
/// newc cannot hold extended attributes, so file capabilities are lost (ping runs set-user-ID or not at all); the
/// log says how many files had some. Sockets and device nodes elsewhere are left out, as in the tar formats.
/// </remarks>
public sealed class RootTreeCpio(ProcessRunner runner, IBuildLog log)
{
    private const string Magic = "070701";
    private const string Trailer = "TRAILER!!!";
    private const int HeaderLength = 110;
    private const int Alignment = 4;

    /// <summary>The newc size and time fields are 32-bit hexadecimal numbers.</summary>
    private const long MaxField = uint.MaxValue;

    /// <summary>S_IFMT file type bits of the mode field.</summary>
    private const uint RegularFileBits = 0x8000, DirectoryBits = 0x4000, SymbolicLinkBits = 0xA000, FifoBits = 0x1000,
        CharacterDeviceBits = 0x2000;

    /// <summary>/dev/console: character device 5:1, as the kernel's own built-in initramfs has it.</summary>
    private const uint ConsoleMajor = 5, ConsoleMinor = 1;

    private const int DestinationBufferSize = 1024 * 1024;

    private static readonly string[] InitCandidates = ["sbin/init", "usr/sbin/init"];

    /// <summary>Writes the archive of <paramref name="tree"/> to <paramref name="destination"/>, which stays open.</summary>
    /// <exception cref="DibException">DIB4001 when the tree is missing, has no init, or holds a file newc cannot hold.</exception>
    public async Task WriteAsync(string tree, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RootTreeTar.RequireTree(tree);
        var listed = await TreeListing.ReadAsync(runner, tree, cancellationToken);
        var xattrs = await TreeXattrs.ReadAsync(runner, tree, cancellationToken);
        var paths = listed.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        if (!paths.Contains("init") && !InitCandidates.Any(paths.Contains))
        {
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The initramfs output runs /init or /sbin/init of the tree, and {tree} has neither. Install an init system " +
                "(systemd-sysv on Debian and Ubuntu) or put an executable /init into the tree.");
        }

        var output = new BufferedStream(destination, DestinationBufferSize);
        var inodes = new Dictionary<(ulong Device, ulong Inode), uint>();
        uint nextInode = 1;
        int written = 0, leftOut = 0;
        foreach (var entry in listed.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (LeftOut(entry))
            {
                leftOut++;
                continue;
            }
            if (entry.Path == "dev")
            {
                WriteEntry(output, tree, entry, nextInode++, data: false);
                WriteHeader(output, "dev/console", nextInode++, CharacterDeviceBits | 0x180, 0, 0, 1, entry.ModificationTime, 0,
                    ConsoleMajor, ConsoleMinor);
                written += 2;
                continue;
            }
            bool linked = entry.Type == TreeEntryType.RegularFile && entry.LinkCount > 1;
            if (linked && inodes.TryGetValue((entry.Device, entry.Inode), out var shared))
            {
                WriteEntry(output, tree, entry, shared, data: false);
            }
            else
            {
                var inode = nextInode++;
                if (linked)
                    inodes.Add((entry.Device, entry.Inode), inode);
                WriteEntry(output, tree, entry, inode, data: true);
            }
            written++;
        }
        if (!paths.Contains("init"))
        {
            // In ordinal order "init" would sit between "home" and "lib"; the kernel does not care about order, and
            // writing it last keeps the loop above a plain copy of the tree.
            var target = Encoding.UTF8.GetBytes("/sbin/init");
            WriteHeader(output, "init", nextInode++, SymbolicLinkBits | 0x1FF, 0, 0, 1, 0, target.Length, 0, 0);
            output.Write(target);
            Pad(output, target.Length);
            written++;
        }
        WriteHeader(output, Trailer, 0, 0, 0, 0, 1, 0, 0, 0, 0);
        await output.FlushAsync(cancellationToken);
        log.Detail($"Archived {written} entries of {tree} as cpio; left out {leftOut} (below /dev and /boot, sockets, device nodes); " +
            $"{xattrs.Count} files had extended attributes, which cpio cannot hold.");
    }

    private static bool LeftOut(TreeEntry entry) =>
        entry.Path.StartsWith("dev/", StringComparison.Ordinal) ||
        (entry.Path.StartsWith("boot/", StringComparison.Ordinal) && entry.Type != TreeEntryType.Directory) ||
        entry.Type is TreeEntryType.CharacterDevice or TreeEntryType.BlockDevice or TreeEntryType.Socket;

    private static void WriteEntry(Stream output, string tree, TreeEntry entry, uint inode, bool data)
    {
        var fullPath = Path.Combine(tree, entry.Path);
        long mtime = Math.Max(entry.ModificationTime, 0);
        if (entry.Uid > MaxField || entry.Gid > MaxField || mtime > MaxField)
            throw new DibException(ErrorCodes.ConversionFailed, $"{fullPath} has an owner or time beyond what a cpio archive holds (32 bits).");
        uint mode = (uint)entry.Mode | entry.Type switch
        {
            TreeEntryType.RegularFile => RegularFileBits,
            TreeEntryType.Directory => DirectoryBits,
            TreeEntryType.SymbolicLink => SymbolicLinkBits,
            TreeEntryType.Fifo => FifoBits,
            _ => throw new InvalidOperationException($"{entry.Type} entries are left out before this point."),
        };
        uint links = entry.Type == TreeEntryType.Directory ? 2 : (uint)Math.Max(entry.LinkCount, 1);
        switch (entry.Type)
        {
            case TreeEntryType.SymbolicLink:
                var target = Encoding.UTF8.GetBytes(entry.LinkTarget!);
                WriteHeader(output, entry.Path, inode, mode, entry.Uid, entry.Gid, links, mtime, target.Length, 0, 0);
                output.Write(target);
                Pad(output, target.Length);
                break;
            case TreeEntryType.RegularFile when data:
                using (var file = RootTreeTar.OpenData(fullPath))
                {
                    if (file.Length > MaxField)
                        throw new DibException(ErrorCodes.ConversionFailed,
                            $"{fullPath} is {file.Length} bytes; a cpio archive holds files up to 4 GiB. Leave it out of a ramdisk image.");
                    WriteHeader(output, entry.Path, inode, mode, entry.Uid, entry.Gid, links, mtime, file.Length, 0, 0);
                    // Synchronous, as in the tar writer: .NET's asynchronous reads on Linux are slower for many small files.
                    file.CopyTo(output);
                    Pad(output, file.Length);
                }
                break;
            default:
                WriteHeader(output, entry.Path, inode, mode, entry.Uid, entry.Gid, links, mtime, 0, 0, 0);
                break;
        }
    }

    private static void WriteHeader(Stream output, string name, uint inode, uint mode, long uid, long gid, uint links, long mtime,
        long size, uint rdevMajor, uint rdevMinor)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(HeaderLength).Append(Magic);
        foreach (var field in new[] { inode, mode, uid, gid, links, mtime, size, 0, 0, rdevMajor, rdevMinor, nameBytes.Length + 1, 0 })
            header.Append(((uint)field).ToString("x8", CultureInfo.InvariantCulture));
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        output.WriteByte(0);
        Pad(output, HeaderLength + nameBytes.Length + 1);
    }

    private static void Pad(Stream output, long length)
    {
        for (long i = length; i % Alignment != 0; i++)
            output.WriteByte(0);
    }
}
