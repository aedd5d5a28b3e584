namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Encodes a sector number as the 3-byte CHS address of an MBR partition record (UEFI specification 2.10,
/// table 5-2): head, then sector (1..63) with cylinder bits 8-9 in its top two bits, then cylinder bits 0-7.
/// CHS is obsolete, but BIOS boot code still reads it, so it is filled with the geometry every tool assumes for
/// LBA-translated disks (255 heads, 63 sectors per track), which does not change when the disk is enlarged.
/// </summary>
internal static class ChsAddress
{
    /// <summary>The size of an encoded address in bytes.</summary>
    public const int Size = 3;

    private const int HeadIndex = 0;
    private const int SectorIndex = 1;
    private const int CylinderIndex = 2;

    private const int HeadsPerCylinder = 255;
    private const int SectorsPerTrack = 63;

    /// <summary>The CHS fields have 10 bits of cylinder.</summary>
    private const int MaxCylinder = 1023;

    /// <summary>Cylinder bits 8 and 9 live in the top two bits of the sector byte.</summary>
    private const int CylinderHighBitsShift = 8;

    private const int SectorByteCylinderShift = 6;

    /// <summary>
    /// Writes the CHS address of <paramref name="lba"/> into <paramref name="chs"/> when its cylinder is at most 1023;
    /// otherwise leaves <paramref name="chs"/> as it is and returns false, so that the caller picks the marker its
    /// table uses for "beyond CHS".
    /// </summary>
    public static bool TryWrite(Span<byte> chs, long lba)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lba);
        long cylinder = lba / (HeadsPerCylinder * SectorsPerTrack);
        if (cylinder > MaxCylinder)
        {
            return false;
        }

        long head = lba / SectorsPerTrack % HeadsPerCylinder;
        long sector = lba % SectorsPerTrack + 1;
        Write(chs, cylinder, head, sector);
        return true;
    }

    /// <summary>
    /// Writes the CHS address of <paramref name="lba"/>, or (1023, 254, 63), i.e. FE FF FF, when it lies beyond
    /// cylinder 1023: the convention of fdisk and sfdisk for partition records.
    /// </summary>
    public static void WriteClamped(Span<byte> chs, long lba)
    {
        if (!TryWrite(chs, lba))
        {
            Write(chs, MaxCylinder, HeadsPerCylinder - 1, SectorsPerTrack);
        }
    }

    private static void Write(Span<byte> chs, long cylinder, long head, long sector)
    {
        chs[HeadIndex] = (byte)head;
        chs[SectorIndex] = (byte)(sector | (cylinder >> CylinderHighBitsShift << SectorByteCylinderShift));
        chs[CylinderIndex] = (byte)cylinder;
    }
}
