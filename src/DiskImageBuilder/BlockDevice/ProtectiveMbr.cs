using System.Buffers.Binary;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Writes the protective MBR in sector 0 of a GPT disk (UEFI specification 2.10, section 5.2.3, tables 5-3 and 5-4):
/// one partition record of type 0xEE that covers the disk, so that MBR-only tools see the disk as in use.
/// Bytes 0..439 belong to the boot loader (GRUB's boot.img on BIOS GPT disks) and are never written here.
/// </summary>
internal static class ProtectiveMbr
{
    // Protective MBR (UEFI spec table 5-3): the legacy MBR's layout, whose offsets MbrWriter defines. BootCode,
    // bytes 0..439, is not used by UEFI and is left to the boot loader; UniqueMBRDiskSignature is unused on a GPT disk
    // and set to zero, as the specification asks; of PartitionRecord[4] the first protects the disk and the other
    // three are zero.

    /// <summary>Bytes 440..511, from UniqueMBRDiskSignature on, are the part of the sector this type owns.</summary>
    private const int OwnedOffset = MbrWriter.DiskSignatureOffset;

    // Protective partition record (UEFI spec table 5-4), offsets within the 16-byte record.

    /// <summary>BootIndicator, 1 byte: 0x00, since the protective partition is not to be booted from.</summary>
    private const int BootIndicatorOffset = 0;

    private const byte BootIndicatorInactive = 0x00;

    /// <summary>StartingCHS, 3 bytes: 0x000200, i.e. head 0, sector 2, cylinder 0, the CHS address of LBA 1.</summary>
    private const int StartingChsOffset = 1;

    /// <summary>OSType, 1 byte: 0xEE, GPT protective.</summary>
    private const int OsTypeOffset = 4;

    private const byte GptProtectiveType = 0xEE;

    /// <summary>EndingCHS, 3 bytes: the CHS address of the disk's last sector, or 0xFFFFFF when it cannot be expressed.</summary>
    private const int EndingChsOffset = 5;

    /// <summary>StartingLBA, 4 bytes LE: 1, the primary GPT header.</summary>
    private const int StartingLbaOffset = 8;

    private const uint ProtectedStartLba = 1;

    /// <summary>SizeInLBA, 4 bytes LE: the disk's sectors less sector 0, or 0xFFFFFFFF when that does not fit in 32 bits.</summary>
    private const int SizeInLbaOffset = 12;

    /// <summary>The value both CHS and LBA fields take when the disk is too large for them.</summary>
    private const byte Unrepresentable = 0xFF;

    /// <summary>
    /// Fills bytes 440..511 of a 512-byte sector 0 for a disk of <paramref name="diskSectors"/> sectors.
    /// Bytes 0..439 are left as they are.
    /// </summary>
    public static void Write(Span<byte> sector, long diskSectors)
    {
        if (sector.Length != GptLayout.SectorSize)
        {
            throw new ArgumentException(
                $"An MBR sector is {GptLayout.SectorSize} bytes; the span given is {sector.Length} bytes.", nameof(sector));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(diskSectors, GptLayout.MinimumDiskSectors);

        // Clears the disk signature, the two unknown bytes and the three unused records.
        sector[OwnedOffset..].Clear();

        var record = sector.Slice(MbrWriter.PartitionRecordsOffset, MbrPartitionRecord.Size);
        long lastLba = diskSectors - 1;
        record[BootIndicatorOffset] = BootIndicatorInactive;
        WriteChs(record.Slice(StartingChsOffset, ChsAddress.Size), ProtectedStartLba);
        record[OsTypeOffset] = GptProtectiveType;
        WriteChs(record.Slice(EndingChsOffset, ChsAddress.Size), lastLba);
        BinaryPrimitives.WriteUInt32LittleEndian(record[StartingLbaOffset..], ProtectedStartLba);
        BinaryPrimitives.WriteUInt32LittleEndian(record[SizeInLbaOffset..], (uint)Math.Min(lastLba, uint.MaxValue));

        BinaryPrimitives.WriteUInt16LittleEndian(sector[MbrWriter.SignatureOffset..], MbrWriter.Signature);
    }

    /// <summary>The specification asks for 0xFFFFFF, not the (1023, 254, 63) of ordinary records, beyond CHS.</summary>
    private static void WriteChs(Span<byte> chs, long lba)
    {
        if (!ChsAddress.TryWrite(chs, lba))
        {
            chs.Fill(Unrepresentable);
        }
    }
}
