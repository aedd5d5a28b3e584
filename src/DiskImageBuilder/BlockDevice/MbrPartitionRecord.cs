using System.Buffers.Binary;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Writes one 16-byte partition record (UEFI specification 2.10, table 5-2), the entry format the MBR and every
/// extended boot record share. The CHS fields always hold absolute addresses; the LBA field is counted from a base
/// the caller gives, because an EBR counts its entries from itself or from the extended partition's start.
/// </summary>
internal static class MbrPartitionRecord
{
    /// <summary>A record is 16 bytes; an MBR or EBR sector has four of them.</summary>
    public const int Size = 16;

    /// <summary>BootIndicator, 1 byte: 0x80 marks the active (bootable) partition.</summary>
    private const int BootIndicatorOffset = 0;

    /// <summary>StartingCHS, 3 bytes: see <see cref="ChsAddress"/>.</summary>
    private const int StartingChsOffset = 1;

    /// <summary>OSType, 1 byte: the partition type, e.g. 0x83.</summary>
    private const int OsTypeOffset = 4;

    /// <summary>EndingCHS, 3 bytes, same encoding as StartingCHS, of the partition's last sector.</summary>
    private const int EndingChsOffset = 5;

    /// <summary>StartingLBA, 4 bytes LE.</summary>
    private const int StartingLbaOffset = 8;

    /// <summary>SizeInLBA, 4 bytes LE.</summary>
    private const int SizeInLbaOffset = 12;

    private const byte BootIndicatorActive = 0x80;
    private const byte BootIndicatorInactive = 0x00;

    /// <summary>
    /// Fills <paramref name="record"/> for the sectors <paramref name="startSector"/> (absolute) and on, with the
    /// StartingLBA field written as <paramref name="startSector"/> less <paramref name="lbaBase"/>.
    /// </summary>
    /// <exception cref="OverflowException">The relative start or the count does not fit in 32 bits; callers check first.</exception>
    public static void Write(Span<byte> record, long startSector, long sectorCount, byte type, bool bootable, long lbaBase = 0)
    {
        long lastSector = startSector + sectorCount - 1;
        record[BootIndicatorOffset] = bootable ? BootIndicatorActive : BootIndicatorInactive;
        ChsAddress.WriteClamped(record.Slice(StartingChsOffset, ChsAddress.Size), startSector);
        record[OsTypeOffset] = type;
        ChsAddress.WriteClamped(record.Slice(EndingChsOffset, ChsAddress.Size), lastSector);
        BinaryPrimitives.WriteUInt32LittleEndian(record[StartingLbaOffset..], checked((uint)(startSector - lbaBase)));
        BinaryPrimitives.WriteUInt32LittleEndian(record[SizeInLbaOffset..], checked((uint)sectorCount));
    }
}
