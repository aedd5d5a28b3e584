using System.Globalization;
using System.Text;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a POSIX pax extended header (typeflag 'x', POSIX.1-2017 pax, "pax Extended Header File Format") whose
/// records apply to the entry that follows. System.Formats.Tar writes these headers itself, but takes record values
/// as strings and encodes them as UTF-8, which corrupts binary values such as security.capability, and names the
/// header after the process id, so two runs never give the same bytes. This writer keeps values byte exact and
/// uses a fixed header name.
/// </summary>
internal static class PaxExtendedHeader
{
    /// <summary>The tar block: headers and data are written in whole blocks.</summary>
    public const int BlockSize = 512;

    // ustar header block (POSIX.1-2017 pax, "ustar Interchange Format", header block table). Numbers are octal
    // digits ended by NUL; fields not written here stay zero.

    /// <summary>name, 100 bytes.</summary>
    private const int NameOffset = 0;

    /// <summary>mode, 8 bytes.</summary>
    private const int ModeOffset = 100;

    private const int ModeLength = 8;

    /// <summary>uid, 8 bytes.</summary>
    private const int UidOffset = 108;

    private const int UidLength = 8;

    /// <summary>gid, 8 bytes.</summary>
    private const int GidOffset = 116;

    private const int GidLength = 8;

    /// <summary>size, 12 bytes: the length of the records that follow.</summary>
    private const int SizeOffset = 124;

    private const int SizeLength = 12;

    /// <summary>mtime, 12 bytes.</summary>
    private const int MtimeOffset = 136;

    private const int MtimeLength = 12;

    /// <summary>chksum, 8 bytes: the sum of all header bytes, counting this field as eight spaces.</summary>
    private const int ChecksumOffset = 148;

    private const int ChecksumLength = 8;

    /// <summary>typeflag, 1 byte.</summary>
    private const int TypeflagOffset = 156;

    /// <summary>magic, 6 bytes: "ustar" and NUL.</summary>
    private const int MagicOffset = 257;

    /// <summary>version, 2 bytes: "00".</summary>
    private const int VersionOffset = 263;

    /// <summary>typeflag 'x': extended header records for the next file.</summary>
    private const byte ExtendedHeaderTypeflag = (byte)'x';

    /// <summary>
    /// A fixed name, as Python's tarfile writes, instead of the "%d/PaxHeaders.%p/%f" that GNU tar and .NET use:
    /// readers that know pax never show it, and the process id in the default would make every archive differ.
    /// </summary>
    private static ReadOnlySpan<byte> HeaderName => "././@PaxHeader"u8;

    private static ReadOnlySpan<byte> Magic => "ustar\0"u8;

    private static ReadOnlySpan<byte> Version => "00"u8;

    /// <summary>Mode of the header pseudo-file, as GNU tar writes it.</summary>
    private const int HeaderMode = 0b110_100_100; // 0644

    /// <summary>The checksum field counts as eight spaces while the sum is taken.</summary>
    private const byte ChecksumPlaceholder = (byte)' ';

    /// <summary>Checksum: six octal digits, NUL, space (the form GNU tar and .NET write).</summary>
    private const int ChecksumDigits = 6;

    private const int OctalBase = 8;

    // Record keywords (POSIX.1-2017 pax, "pax Extended Header Keywords", and the SCHILY.xattr extension that GNU tar,
    // libarchive, Go's archive/tar, umoci and containers/storage read).

    public const string PathKeyword = "path";
    public const string LinkPathKeyword = "linkpath";
    public const string UidKeyword = "uid";
    public const string GidKeyword = "gid";
    public const string MtimeKeyword = "mtime";
    public const string XattrKeywordPrefix = "SCHILY.xattr.";

    /// <summary>A record with a text value (path, numbers), encoded as UTF-8 as the pax format defines.</summary>
    public static KeyValuePair<string, byte[]> TextRecord(string keyword, string value) => new(keyword, Encoding.UTF8.GetBytes(value));

    /// <summary>A record with a decimal value.</summary>
    public static KeyValuePair<string, byte[]> NumberRecord(string keyword, long value) =>
        TextRecord(keyword, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes the header block, the records, and zero padding to the next block.</summary>
    public static void Write(Stream destination, IReadOnlyList<KeyValuePair<string, byte[]>> records)
    {
        var data = EncodeRecords(records);
        int padding = (BlockSize - data.Length % BlockSize) % BlockSize;
        var buffer = new byte[BlockSize + data.Length + padding];
        WriteHeaderBlock(buffer.AsSpan(0, BlockSize), data.Length);
        data.CopyTo(buffer, BlockSize);
        destination.Write(buffer);
    }

    /// <summary>Each record is "LENGTH KEYWORD=VALUE\n", where LENGTH counts the whole record including its own digits.</summary>
    internal static byte[] EncodeRecords(IReadOnlyList<KeyValuePair<string, byte[]>> records)
    {
        using var data = new MemoryStream();
        foreach (var (keyword, value) in records)
        {
            var keywordBytes = Encoding.UTF8.GetBytes(keyword);
            // " " + keyword + "=" + value + "\n", then the digits of the total, which may add a digit to the total.
            int rest = 1 + keywordBytes.Length + 1 + value.Length + 1;
            int length = rest + DecimalDigits(rest);
            if (DecimalDigits(length) != DecimalDigits(rest))
                length = rest + DecimalDigits(length);
            data.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
            data.WriteByte((byte)' ');
            data.Write(keywordBytes);
            data.WriteByte((byte)'=');
            data.Write(value);
            data.WriteByte((byte)'\n');
        }
        return data.ToArray();
    }

    private static void WriteHeaderBlock(Span<byte> block, int dataLength)
    {
        block.Clear();
        HeaderName.CopyTo(block[NameOffset..]);
        WriteOctal(block.Slice(ModeOffset, ModeLength), HeaderMode);
        WriteOctal(block.Slice(UidOffset, UidLength), 0);
        WriteOctal(block.Slice(GidOffset, GidLength), 0);
        WriteOctal(block.Slice(SizeOffset, SizeLength), dataLength);
        WriteOctal(block.Slice(MtimeOffset, MtimeLength), 0);
        block[TypeflagOffset] = ExtendedHeaderTypeflag;
        Magic.CopyTo(block[MagicOffset..]);
        Version.CopyTo(block[VersionOffset..]);

        var checksumField = block.Slice(ChecksumOffset, ChecksumLength);
        checksumField.Fill(ChecksumPlaceholder);
        int checksum = 0;
        foreach (var b in block)
            checksum += b;
        WriteOctal(checksumField[..(ChecksumDigits + 1)], checksum);
        checksumField[ChecksumDigits + 1] = ChecksumPlaceholder;
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which is NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, OctalBase).PadLeft(field.Length - 1, '0');
        if (digits.Length > field.Length - 1)
            throw new ArgumentOutOfRangeException(nameof(value), value, "The value does not fit its ustar header field.");
        Encoding.ASCII.GetBytes(digits, field);
        field[^1] = 0;
    }

    private static int DecimalDigits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
