namespace DiskImageBuilder.Outputs;

/// <summary>
/// The largest values the numeric fields of a ustar header hold (POSIX.1-2017 pax, "ustar Interchange Format": octal
/// digits ended by NUL). System.Formats.Tar truncates larger ids and times silently, so callers move such values
/// into pax records and leave zero in the header.
/// </summary>
internal static class UstarLimits
{
    /// <summary>uid and gid: 8-byte fields, 7 octal digits.</summary>
    public const long MaxId = 0x1F_FFFF; // 07777777

    /// <summary>size and mtime: 12-byte fields, 11 octal digits (8 GiB - 1 bytes; the year 2242).</summary>
    public const long MaxSizeOrTime = 0x1_FFFF_FFFF; // 077777777777

    /// <summary>name and linkname: 100 bytes (the 155-byte prefix field is not used).</summary>
    public const int MaxNameBytes = 100;
}
