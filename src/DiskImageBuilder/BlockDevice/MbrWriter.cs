using System.Buffers.Binary;
using System.Security.Cryptography;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Writes the MBR partition table of a disk image: disk signature, four partition records and the boot signature.
/// Owns the on-disk format (UEFI specification 2.10, section 5.2.1 "Legacy Master Boot Record", tables 5-1 and 5-2)
/// and leaves the boot code in bytes 0..439 to the boot loader, which may be placed before or after the table.
/// </summary>
public static class MbrWriter
{
    // Legacy MBR (UEFI spec table 5-1). BootCode, bytes 0..439, belongs to the boot loader and is never written here.

    /// <summary>UniqueMBRDiskSignature, 4 bytes LE: Linux shows it as the disk identifier and in every PARTUUID.</summary>
    private const int DiskSignatureOffset = 440;

    /// <summary>Unknown, 2 bytes: zero, since 0x5A5A would mark the disk copy-protected.</summary>
    private const int ReservedOffset = 444;

    private const int ReservedSize = 2;

    /// <summary>PartitionRecord[4], 16 bytes each.</summary>
    private const int PartitionRecordsOffset = 446;

    private const int PartitionRecordSize = 16;

    /// <summary>Signature, 2 bytes LE: 0xAA55, i.e. 0x55 at 510 and 0xAA at 511.</summary>
    private const int SignatureOffset = 510;

    private const ushort Signature = 0xAA55;

    // Partition record (UEFI spec table 5-2), offsets within the 16-byte record.

    /// <summary>BootIndicator, 1 byte: 0x80 marks the active (bootable) partition.</summary>
    private const int BootIndicatorOffset = 0;

    /// <summary>StartingCHS, 3 bytes: head, sector with cylinder bits 8-9, cylinder bits 0-7.</summary>
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

    // CHS is obsolete, but BIOS boot code still reads it, so it is filled with the geometry every tool assumes
    // for LBA-translated disks: 255 heads, 63 sectors per track (sectors count from 1).

    private const int ChsSize = 3;
    private const int ChsHeadIndex = 0;
    private const int ChsSectorIndex = 1;
    private const int ChsCylinderIndex = 2;
    private const int HeadsPerCylinder = 255;
    private const int SectorsPerTrack = 63;

    /// <summary>The CHS fields have 10 bits of cylinder; beyond it the convention is (1023, 254, 63), i.e. FE FF FF.</summary>
    private const int MaxChsCylinder = 1023;

    /// <summary>Cylinder bits 8 and 9 live in the top two bits of the sector byte.</summary>
    private const int CylinderHighBitsShift = 8;

    private const int SectorByteCylinderShift = 6;

    /// <summary>
    /// Writes the partition table into sector 0 of the existing image file at <paramref name="imagePath"/>.
    /// Only bytes 440..511 are written, so boot code already in bytes 0..439 (e.g. GRUB's boot.img) is kept.
    /// </summary>
    /// <param name="imagePath">An existing image file, at least one sector long and long enough to hold every partition.</param>
    /// <param name="diskSignature">The disk signature; see <see cref="NewDiskSignature"/>.</param>
    /// <param name="partitions">At most four partitions; see <see cref="WriteSector"/> for the rules.</param>
    /// <exception cref="DibException">
    /// DIB3003 when the partitions break a rule of <see cref="WriteSector"/> or end past the end of the file;
    /// DIB3001 when a partition has type 0x00.
    /// </exception>
    public static void Write(string imagePath, uint diskSignature, IReadOnlyList<MbrPartition> partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);

        Span<byte> sector = stackalloc byte[MbrLayout.SectorSize];
        WriteSector(sector, diskSignature, partitions);

        using var image = File.OpenHandle(imagePath, FileMode.Open, FileAccess.Write);
        long imageBytes = RandomAccess.GetLength(image);
        long imageSectors = imageBytes / MbrLayout.SectorSize;
        if (imageSectors == 0)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"The image '{imagePath}' is {imageBytes} bytes, smaller than one {MbrLayout.SectorSize}-byte sector, " +
                "so it has no room for a partition table. Create the image at its full size before writing the partition table.");
        }

        for (int i = 0; i < partitions.Count; i++)
        {
            var partition = partitions[i];
            long endExclusive = partition.StartSector + partition.SectorCount;
            if (endExclusive > imageSectors)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {i + 1} ({Describe(partition)}) ends past the end of the image '{imagePath}', " +
                    $"which has {imageSectors} sectors. Grow the image to at least {endExclusive * MbrLayout.SectorSize} bytes " +
                    "before writing the partition table, or plan the layout for the image's real size.");
            }
        }

        // The boot code may already be in place, so only the table part of the sector goes to the file.
        RandomAccess.Write(image, sector[DiskSignatureOffset..], DiskSignatureOffset);
    }

    /// <summary>
    /// Fills bytes 440..511 of a 512-byte MBR sector: disk signature, reserved bytes, four partition records
    /// (unused ones zeroed) and the boot signature. Bytes 0..439 are left as they are.
    /// Records are written in list order, so partition N in the list is partition N to Linux (sda1, sda2, ...).
    /// More than one partition may be bootable: GRUB's boot.img ignores the flag, and firmware that insists on an
    /// active partition only needs one; the classic DOS and Windows boot code, which refuses a table with two
    /// active entries, is not what this SDK installs.
    /// </summary>
    /// <param name="sector">Exactly <see cref="MbrLayout.SectorSize"/> bytes.</param>
    /// <param name="diskSignature">The disk signature; see <see cref="NewDiskSignature"/>.</param>
    /// <param name="partitions">
    /// At most four partitions, each with a sector count above zero, starting after sector 0, ending within the
    /// 32-bit LBA range (below 2 TiB), not overlapping one another, and with a type other than 0x00.
    /// </param>
    /// <exception cref="DibException">DIB3003 when a rule above is broken; DIB3001 when a type is 0x00.</exception>
    public static void WriteSector(Span<byte> sector, uint diskSignature, IReadOnlyList<MbrPartition> partitions)
    {
        if (sector.Length != MbrLayout.SectorSize)
        {
            throw new ArgumentException(
                $"An MBR sector is {MbrLayout.SectorSize} bytes; the span given is {sector.Length} bytes.", nameof(sector));
        }

        Validate(partitions);

        BinaryPrimitives.WriteUInt32LittleEndian(sector[DiskSignatureOffset..], diskSignature);
        sector.Slice(ReservedOffset, ReservedSize).Clear();

        var records = sector.Slice(PartitionRecordsOffset, MbrLayout.MaxPrimaryPartitions * PartitionRecordSize);
        records.Clear();
        for (int i = 0; i < partitions.Count; i++)
        {
            WriteRecord(records.Slice(i * PartitionRecordSize, PartitionRecordSize), partitions[i]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(sector[SignatureOffset..], Signature);
    }

    /// <summary>
    /// A random, non-zero disk signature. Zero is avoided because Windows and some tools read it as "no signature"
    /// and write their own, which would change every PARTUUID on the disk.
    /// </summary>
    public static uint NewDiskSignature()
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        uint signature;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }
        while (signature == 0);

        return signature;
    }

    private static void WriteRecord(Span<byte> record, MbrPartition partition)
    {
        long lastSector = partition.StartSector + partition.SectorCount - 1;
        record[BootIndicatorOffset] = partition.Bootable ? BootIndicatorActive : BootIndicatorInactive;
        WriteChs(record.Slice(StartingChsOffset, ChsSize), partition.StartSector);
        record[OsTypeOffset] = partition.Type;
        WriteChs(record.Slice(EndingChsOffset, ChsSize), lastSector);
        BinaryPrimitives.WriteUInt32LittleEndian(record[StartingLbaOffset..], checked((uint)partition.StartSector));
        BinaryPrimitives.WriteUInt32LittleEndian(record[SizeInLbaOffset..], checked((uint)partition.SectorCount));
    }

    private static void WriteChs(Span<byte> chs, long lba)
    {
        long cylinder = lba / (HeadsPerCylinder * SectorsPerTrack);
        long head = lba / SectorsPerTrack % HeadsPerCylinder;
        long sector = lba % SectorsPerTrack + 1;
        if (cylinder > MaxChsCylinder)
        {
            cylinder = MaxChsCylinder;
            head = HeadsPerCylinder - 1;
            sector = SectorsPerTrack;
        }

        chs[ChsHeadIndex] = (byte)head;
        chs[ChsSectorIndex] = (byte)(sector | (cylinder >> CylinderHighBitsShift << SectorByteCylinderShift));
        chs[ChsCylinderIndex] = (byte)cylinder;
    }

    private static void Validate(IReadOnlyList<MbrPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);

        if (partitions.Count > MbrLayout.MaxPrimaryPartitions)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"{partitions.Count} partitions were given, but an MBR has {MbrLayout.MaxPrimaryPartitions} partition records. " +
                $"Remove or merge partitions down to {MbrLayout.MaxPrimaryPartitions}, or use a GPT layout.");
        }

        for (int i = 0; i < partitions.Count; i++)
        {
            var partition = partitions[i];
            ArgumentNullException.ThrowIfNull(partition, $"{nameof(partitions)}[{i}]");
            int number = i + 1;

            if (partition.Type == 0)
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"Partition {number} ({Describe(partition)}) has type 0x00, which the MBR reserves for an empty entry, " +
                    "so tools would not see the partition. Give it a real type, e.g. 0x83 (Linux).");
            }

            if (partition.SectorCount <= 0)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {number} ({Describe(partition)}) has {partition.SectorCount} sectors. Give it a size of at least one sector.");
            }

            if (partition.StartSector < 1)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {number} ({Describe(partition)}) starts at sector {partition.StartSector}, but sector 0 holds the MBR. " +
                    $"Start it at sector {MbrLayout.AlignmentBytes / MbrLayout.SectorSize} (1 MiB) or later.");
            }

            // Overflow-safe form of start + count > 2^32, for values anywhere in the long range.
            if (partition.StartSector >= MbrLayout.AddressableSectors
                || partition.SectorCount > MbrLayout.AddressableSectors - partition.StartSector)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {number} ({Describe(partition)}) reaches past sector {MbrLayout.AddressableSectors - 1}, " +
                    $"the last one an MBR can address (32-bit sector numbers, 2 TiB). Shrink or move it below 2 TiB, or use a GPT layout.");
            }
        }

        // Checked in disk order, but reported with the numbers the partitions have in the table.
        var byStart = Enumerable.Range(0, partitions.Count).OrderBy(i => partitions[i].StartSector).ToArray();
        for (int k = 1; k < byStart.Length; k++)
        {
            var previous = partitions[byStart[k - 1]];
            var current = partitions[byStart[k]];
            if (current.StartSector < previous.StartSector + previous.SectorCount)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {byStart[k - 1] + 1} ({Describe(previous)}) and partition {byStart[k] + 1} ({Describe(current)}) overlap. " +
                    "Move or shrink one of them so that each starts after the other ends.");
            }
        }
    }

    private static string Describe(MbrPartition partition) =>
        $"sectors {partition.StartSector}..{partition.StartSector + partition.SectorCount - 1}, {partition.SectorCount} sectors";
}
