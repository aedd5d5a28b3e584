using System.Globalization;
using System.Text;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Lists a root tree with GNU find: type, device, inode, link count, numeric owner, mode, mtime, size and link target
/// of every file, symbolic links not followed, one filesystem only (-xdev). .NET has no API for inode numbers, link
/// counts or numeric owners, and find reads them with one lstat per file, which is also what tar does.
/// </summary>
internal static class TreeListing
{
    /// <summary>
    /// One record: the numeric fields, then the path and the link target, each ended by NUL, since both may contain
    /// any byte but NUL. find writes them to a file (-fprintf), not to a pipe that the process runner splits into lines.
    /// </summary>
    private const string RecordFormat = "%y %D %i %n %U %G %m %T@ %s\\0%P\\0%l\\0";

    /// <summary>NUL-separated fields per record: numbers, path, link target.</summary>
    private const int FieldsPerRecord = 3;

    /// <summary>The space-separated numbers of the first field, in <see cref="RecordFormat"/> order.</summary>
    private const int TypeField = 0, DeviceField = 1, InodeField = 2, LinkCountField = 3, UidField = 4, GidField = 5,
        ModeField = 6, MtimeField = 7, SizeField = 8, NumberFieldCount = 9;

    /// <summary>find prints %m in octal; the mask keeps permission, set-ID and sticky bits.</summary>
    private const int OctalBase = 8;

    private const int PermissionMask = 0b111_111_111_111; // 07777

    /// <summary>Rejects byte sequences that are not UTF-8, so a file name is never silently rewritten.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every entry below <paramref name="tree"/> (not the tree itself), in find's order.</summary>
    public static async Task<IReadOnlyList<TreeEntry>> ReadAsync(ProcessRunner runner, string tree, CancellationToken cancellationToken)
    {
        var listFile = Path.Combine(Path.GetTempPath(), $"dib-tree-{Guid.NewGuid():N}.list");
        try
        {
            // -H follows the tree argument itself if it is a link to a directory, and nothing below it.
            await runner.RunCheckedAsync(
                new ProcessSpec("find", ["-H", tree, "-xdev", "-mindepth", "1", "-fprintf", listFile, RecordFormat]),
                ErrorCodes.ConversionFailed, $"Listing the root tree {tree}", cancellationToken);
            var bytes = await File.ReadAllBytesAsync(listFile, cancellationToken);
            return Parse(bytes, tree);
        }
        finally
        {
            File.Delete(listFile);
        }
    }

    /// <summary>Parses the records of <see cref="RecordFormat"/>; <paramref name="tree"/> only names the tree in errors.</summary>
    internal static IReadOnlyList<TreeEntry> Parse(ReadOnlySpan<byte> bytes, string tree)
    {
        var entries = new List<TreeEntry>();
        Span<Range> fields = stackalloc Range[FieldsPerRecord];
        while (!bytes.IsEmpty)
        {
            int consumed = 0;
            for (int i = 0; i < FieldsPerRecord; i++)
            {
                int end = bytes[consumed..].IndexOf((byte)0);
                if (end < 0)
                    throw new DibException(ErrorCodes.ConversionFailed, $"find's listing of {tree} ends in the middle of a record.");
                fields[i] = new Range(consumed, consumed + end);
                consumed += end + 1;
            }
            entries.Add(ParseRecord(bytes[fields[0]], bytes[fields[1]], bytes[fields[2]], tree));
            bytes = bytes[consumed..];
        }
        return entries;
    }

    private static TreeEntry ParseRecord(ReadOnlySpan<byte> numbers, ReadOnlySpan<byte> pathBytes, ReadOnlySpan<byte> targetBytes, string tree)
    {
        var path = Decode(pathBytes, tree, null);
        var parts = Encoding.ASCII.GetString(numbers).Split(' ');
        if (parts.Length != NumberFieldCount)
            throw new DibException(ErrorCodes.ConversionFailed, $"find printed an unexpected record for {Path.Combine(tree, path)}: '{string.Join(' ', parts)}'.");
        var type = parts[TypeField] switch
        {
            "f" => TreeEntryType.RegularFile,
            "d" => TreeEntryType.Directory,
            "l" => TreeEntryType.SymbolicLink,
            "c" => TreeEntryType.CharacterDevice,
            "b" => TreeEntryType.BlockDevice,
            "p" => TreeEntryType.Fifo,
            "s" => TreeEntryType.Socket,
            var other => throw new DibException(ErrorCodes.ConversionFailed,
                $"{Path.Combine(tree, path)} has a file type (find %y '{other}') that a tar archive cannot hold."),
        };
        return new TreeEntry(
            path,
            type,
            ulong.Parse(parts[DeviceField], CultureInfo.InvariantCulture),
            ulong.Parse(parts[InodeField], CultureInfo.InvariantCulture),
            long.Parse(parts[LinkCountField], CultureInfo.InvariantCulture),
            long.Parse(parts[UidField], CultureInfo.InvariantCulture),
            long.Parse(parts[GidField], CultureInfo.InvariantCulture),
            (UnixFileMode)(Convert.ToInt32(parts[ModeField], OctalBase) & PermissionMask),
            // %T@ has a fraction ("1700000000.1234567890"); tar keeps whole seconds, rounded down like stat's st_mtime.
            (long)Math.Floor(decimal.Parse(parts[MtimeField], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
            long.Parse(parts[SizeField], CultureInfo.InvariantCulture),
            type == TreeEntryType.SymbolicLink ? Decode(targetBytes, tree, path) : null);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string tree, string? linkPath)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var shown = Encoding.UTF8.GetString(bytes);
            throw new DibException(ErrorCodes.ConversionFailed, linkPath is null
                ? $"The file name '{Path.Combine(tree, shown)}' is not UTF-8, which container images and this tar writer require. Rename it in the tree."
                : $"The target '{shown}' of the symbolic link {Path.Combine(tree, linkPath)} is not UTF-8, which container images and this tar writer require.");
        }
    }
}
