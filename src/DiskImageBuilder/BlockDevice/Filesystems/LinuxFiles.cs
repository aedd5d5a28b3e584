using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// The few Linux calls .NET does not offer: statx (owner, inode, link count, device numbers of a path without
/// following it), llistxattr, hole punching and SEEK_DATA/SEEK_HOLE. struct statx has one layout on every
/// architecture, so it is read from a byte buffer at the offsets of linux/stat.h.
/// </summary>
internal static class LinuxFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferSize = 256;

    // Offsets of the struct statx fields (linux/stat.h).
    private const int StxNlink = 16;
    private const int StxUid = 20;
    private const int StxGid = 24;
    private const int StxMode = 28;
    private const int StxIno = 32;
    private const int StxSize = 40;
    private const int StxRdevMajor = 128;
    private const int StxRdevMinor = 132;
    private const int StxDevMajor = 136;
    private const int StxDevMinor = 140;

    private const int FallocKeepSize = 0x01;
    private const int FallocPunchHole = 0x02;
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int Enxio = 6;

    /// <summary>
    /// The status of <paramref name="path"/> itself (a symlink is not followed). In a build as an ordinary user the owner
    /// is the one seen inside the build's user namespace, which is the owner a root build gives the file.
    /// </summary>
    public static UnixFileStatus LStat(string path)
    {
        var buffer = new byte[StatxBufferSize];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            throw new IOException($"Cannot read the status of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        var span = buffer.AsSpan();
        return new UnixFileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(span[StxMode..]),
            Uid: Sandbox.UserNamespace.Current is { } ns ? ns.UidInside(BinaryPrimitives.ReadUInt32LittleEndian(span[StxUid..]))
                : BinaryPrimitives.ReadUInt32LittleEndian(span[StxUid..]),
            Gid: Sandbox.UserNamespace.Current is { } ns2 ? ns2.GidInside(BinaryPrimitives.ReadUInt32LittleEndian(span[StxGid..]))
                : BinaryPrimitives.ReadUInt32LittleEndian(span[StxGid..]),
            Links: BinaryPrimitives.ReadUInt32LittleEndian(span[StxNlink..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[StxIno..]),
            Device: ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(span[StxDevMajor..]) << 32)
                    | BinaryPrimitives.ReadUInt32LittleEndian(span[StxDevMinor..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(span[StxSize..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(span[StxRdevMajor..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(span[StxRdevMinor..]));
    }

    /// <summary>The names of the extended attributes of <paramref name="path"/> itself.</summary>
    public static IReadOnlyList<string> ListXattrs(string path)
    {
        var size = llistxattr(path, null, 0);
        if (size < 0)
        {
            // A filesystem without xattr support has none to lose.
            if (Marshal.GetLastPInvokeError() == 95 /* EOPNOTSUPP */)
                return [];
            throw new IOException($"Cannot list the extended attributes of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        if (size == 0)
            return [];
        var buffer = new byte[size];
        size = llistxattr(path, buffer, (nuint)buffer.Length);
        if (size < 0)
            throw new IOException($"Cannot list the extended attributes of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        return Encoding.UTF8.GetString(buffer, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Turns a byte range of the file into a hole; false when the filesystem cannot punch holes.</summary>
    public static bool TryPunchHole(SafeFileHandle file, long offset, long length) =>
        fallocate((int)file.DangerousGetHandle(), FallocPunchHole | FallocKeepSize, offset, length) == 0;

    /// <summary>The byte ranges of <paramref name="file"/> that hold data (everything else reads as zeros).</summary>
    public static IEnumerable<(long Start, long End)> DataRanges(SafeFileHandle file, long length)
    {
        var fd = (int)file.DangerousGetHandle();
        long position = 0;
        while (position < length)
        {
            var start = lseek(fd, position, SeekData);
            if (start < 0)
            {
                if (Marshal.GetLastPInvokeError() == Enxio)
                    yield break;
                // No SEEK_DATA on this filesystem: treat the whole rest as data.
                yield return (position, length);
                yield break;
            }
            var end = lseek(fd, start, SeekHole);
            if (end < 0)
                end = length;
            yield return (start, Math.Min(end, length));
            position = end;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern nint llistxattr(string path, byte[]? list, nuint size);

    [DllImport("libc", SetLastError = true)]
    private static extern int fallocate(int fd, int mode, long offset, long length);

    [DllImport("libc", SetLastError = true)]
    private static extern long lseek(int fd, long offset, int whence);
}
