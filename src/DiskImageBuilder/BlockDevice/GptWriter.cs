using System.Buffers.Binary;
using System.Text;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Writes the GUID partition table of a disk image: the protective MBR, the primary header and entry array at the
/// start of the disk and their backups at the end. Owns the on-disk format (UEFI specification 2.10, section 5.3,
/// tables 5-5 and 5-6) and its two CRCs; <see cref="GptLayout"/> decides where the partitions go.
/// </summary>
public static class GptWriter
{
    // GPT header (UEFI spec table 5-5), offsets within the header sector.

    /// <summary>Signature, 8 bytes: the ASCII string "EFI PART".</summary>
    private const int SignatureOffset = 0;

    private static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    /// <summary>Revision, 4 bytes LE: 0x00010000, version 1.0, the only revision the header has had.</summary>
    private const int RevisionOffset = 8;

    private const uint Revision1_0 = 0x00010000;

    /// <summary>HeaderSize, 4 bytes LE: 92, the bytes that the header CRC covers; the rest of the sector is reserved and zero.</summary>
    private const int HeaderSizeOffset = 12;

    private const int HeaderSize = 92;

    /// <summary>HeaderCRC32, 4 bytes LE: CRC-32 of the first HeaderSize bytes, computed while this field is zero.</summary>
    private const int HeaderCrc32Offset = 16;

    // Reserved, 4 bytes at offset 20: zero, as is everything after HeaderSize.

    /// <summary>MyLBA, 8 bytes LE: the LBA of this header, 1 for the primary, the last LBA for the backup.</summary>
    private const int MyLbaOffset = 24;

    /// <summary>AlternateLBA, 8 bytes LE: the LBA of the other header.</summary>
    private const int AlternateLbaOffset = 32;

    /// <summary>FirstUsableLBA, 8 bytes LE.</summary>
    private const int FirstUsableLbaOffset = 40;

    /// <summary>LastUsableLBA, 8 bytes LE.</summary>
    private const int LastUsableLbaOffset = 48;

    /// <summary>DiskGUID, 16 bytes in the GUID's mixed-endian EFI_GUID layout.</summary>
    private const int DiskGuidOffset = 56;

    /// <summary>PartitionEntryLBA, 8 bytes LE: where this header's entry array starts.</summary>
    private const int PartitionEntryLbaOffset = 72;

    /// <summary>NumberOfPartitionEntries, 4 bytes LE.</summary>
    private const int NumberOfPartitionEntriesOffset = 80;

    /// <summary>SizeOfPartitionEntry, 4 bytes LE.</summary>
    private const int SizeOfPartitionEntryOffset = 84;

    /// <summary>PartitionEntryArrayCRC32, 4 bytes LE: CRC-32 of the whole entry array, unused entries included.</summary>
    private const int PartitionEntryArrayCrc32Offset = 88;

    // GPT partition entry (UEFI spec table 5-6), offsets within the 128-byte entry.

    /// <summary>PartitionTypeGUID, 16 bytes; all zeros marks an unused entry.</summary>
    private const int PartitionTypeGuidOffset = 0;

    /// <summary>UniquePartitionGUID, 16 bytes.</summary>
    private const int UniquePartitionGuidOffset = 16;

    /// <summary>StartingLBA, 8 bytes LE.</summary>
    private const int StartingLbaOffset = 32;

    /// <summary>EndingLBA, 8 bytes LE, inclusive.</summary>
    private const int EndingLbaOffset = 40;

    /// <summary>Attributes, 8 bytes LE (table 5-8).</summary>
    private const int AttributesOffset = 48;

    /// <summary>PartitionName, CHAR16[36]: UTF-16LE, zero-padded.</summary>
    private const int PartitionNameOffset = 56;

    private const int PartitionNameSize = GptLayout.MaxNameLength * sizeof(char);

    private const int GuidSize = 16;

    private const int SectorSize = GptLayout.SectorSize;

    private const int EntryArrayBytes = GptLayout.MaxPartitions * GptLayout.PartitionEntrySize;

    /// <summary>Bytes 0..439 of sector 0 are boot code; only the rest of the sector, from the disk signature on, is written.</summary>
    private const int MbrTableOffset = MbrWriter.DiskSignatureOffset;

    /// <summary>The primary header and entry array, LBA 1..33, written as one block.</summary>
    private const int PrimaryBytes = (int)((GptLayout.FirstUsableLba - GptLayout.PrimaryHeaderLba) * SectorSize);

    /// <summary>The backup entry array and header, the last 33 LBAs, written as one block.</summary>
    private const int BackupBytes = (int)(GptLayout.BackupSectors * SectorSize);

    /// <summary>
    /// Writes the GPT into the existing image file at <paramref name="imagePath"/>: bytes 440..511 of sector 0
    /// (the protective MBR), LBA 1..33 and the last 33 LBAs. Nothing else in the file is touched, so boot code already
    /// in bytes 0..439 (e.g. GRUB's boot.img) and the partitions' contents are kept. The disk's size is the file's
    /// length in whole sectors.
    /// </summary>
    /// <param name="imagePath">An existing image file, at its final size.</param>
    /// <param name="diskGuid">The disk GUID; see <see cref="NewGuid"/>.</param>
    /// <param name="partitions">At most <see cref="GptLayout.MaxPartitions"/> partitions, usually from <see cref="GptLayout.Plan"/>.</param>
    /// <exception cref="DibException">
    /// DIB3003 when the image is smaller than <see cref="GptLayout.MinimumDiskSectors"/> sectors or a partition breaks
    /// a rule of <see cref="Write(Span{byte}, Guid, IReadOnlyList{GptPartition})"/>; DIB3001 when a GUID or name is invalid.
    /// The file is not changed when an error is thrown.
    /// </exception>
    public static void Write(string imagePath, Guid diskGuid, IReadOnlyList<GptPartition> partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);

        using var image = File.OpenHandle(imagePath, FileMode.Open, FileAccess.Write);
        long diskSectors = RandomAccess.GetLength(image) / SectorSize;
        Validate(diskSectors, $"the image '{imagePath}'", diskGuid, partitions);

        byte[] mbrSector = new byte[SectorSize];
        byte[] primary = new byte[PrimaryBytes];
        byte[] backup = new byte[BackupBytes];
        Build(diskSectors, diskGuid, partitions, mbrSector, primary, backup);

        RandomAccess.Write(image, mbrSector.AsSpan(MbrTableOffset), MbrTableOffset);
        RandomAccess.Write(image, primary, GptLayout.PrimaryHeaderLba * SectorSize);
        RandomAccess.Write(image, backup, (diskSectors - GptLayout.BackupSectors) * SectorSize);
    }

    /// <summary>
    /// Writes the GPT into <paramref name="disk"/>, a whole disk image in memory, exactly as
    /// <see cref="Write(string, Guid, IReadOnlyList{GptPartition})"/> writes it into a file: bytes 440..511 of
    /// sector 0, LBA 1..33 and the last 33 LBAs. The disk's size is the span's length in whole sectors.
    /// </summary>
    /// <param name="disk">The disk image, at least <see cref="GptLayout.MinimumDiskSectors"/> sectors long.</param>
    /// <param name="diskGuid">The disk GUID; not all zeros.</param>
    /// <param name="partitions">
    /// At most <see cref="GptLayout.MaxPartitions"/> partitions, each with a sector count above zero, lying between
    /// <see cref="GptLayout.FirstUsableLba"/> and <see cref="GptLayout.LastUsableLba"/>, not overlapping one another,
    /// with type and unique GUIDs other than all zeros, unique GUIDs that differ from one another, and a name of at
    /// most <see cref="GptLayout.MaxNameLength"/> UTF-16 code units without NUL. Entries are written in list order,
    /// so partition N in the list is partition N to Linux (sda1, sda2, ...).
    /// </param>
    /// <exception cref="DibException">DIB3003 when a size or position rule above is broken; DIB3001 when a GUID or name is invalid.</exception>
    public static void Write(Span<byte> disk, Guid diskGuid, IReadOnlyList<GptPartition> partitions)
    {
        long diskSectors = disk.Length / SectorSize;
        Validate(diskSectors, "the disk", diskGuid, partitions);

        Build(diskSectors, diskGuid, partitions,
            disk[..SectorSize],
            disk.Slice((int)GptLayout.PrimaryHeaderLba * SectorSize, PrimaryBytes),
            disk.Slice((int)(diskSectors - GptLayout.BackupSectors) * SectorSize, BackupBytes));
    }

    /// <summary>
    /// A new random (version 4) GUID for a disk or a partition, as sgdisk makes them. Pass fixed GUIDs instead where
    /// the same input must give the same image.
    /// </summary>
    public static Guid NewGuid() => Guid.NewGuid();

    /// <summary>
    /// Fills the three regions the writer owns, for partitions that <see cref="Validate"/> has accepted. Callers
    /// validate before they slice or write anything, so a failed call leaves the image as it was.
    /// </summary>
    private static void Build(
        long diskSectors, Guid diskGuid, IReadOnlyList<GptPartition> partitions,
        Span<byte> mbrSector, Span<byte> primary, Span<byte> backup)
    {
        long lastLba = diskSectors - 1;
        long lastUsableLba = GptLayout.LastUsableLba(diskSectors);
        long backupEntriesLba = diskSectors - GptLayout.BackupSectors;

        var primaryHeader = primary[..SectorSize];
        var primaryEntries = primary[SectorSize..];
        var backupEntries = backup[..EntryArrayBytes];
        var backupHeader = backup[EntryArrayBytes..];

        primaryEntries.Clear();
        for (int i = 0; i < partitions.Count; i++)
        {
            WriteEntry(primaryEntries.Slice(i * GptLayout.PartitionEntrySize, GptLayout.PartitionEntrySize), partitions[i]);
        }

        uint entryArrayCrc = Crc32.Compute(primaryEntries);
        primaryEntries.CopyTo(backupEntries);

        // The backup header mirrors the primary with MyLBA and AlternateLBA swapped and its own entry array.
        WriteHeader(primaryHeader, GptLayout.PrimaryHeaderLba, lastLba, GptLayout.PrimaryEntriesLba, lastUsableLba, diskGuid, entryArrayCrc);
        WriteHeader(backupHeader, lastLba, GptLayout.PrimaryHeaderLba, backupEntriesLba, lastUsableLba, diskGuid, entryArrayCrc);

        ProtectiveMbr.Write(mbrSector, diskSectors);
    }

    private static void WriteHeader(
        Span<byte> sector, long myLba, long alternateLba, long partitionEntryLba, long lastUsableLba, Guid diskGuid, uint entryArrayCrc)
    {
        // Clearing the sector zeroes HeaderCRC32 for the CRC computation below, Reserved, and the reserved rest of the block.
        sector.Clear();
        Signature.CopyTo(sector[SignatureOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[RevisionOffset..], Revision1_0);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[HeaderSizeOffset..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(sector[MyLbaOffset..], myLba);
        BinaryPrimitives.WriteInt64LittleEndian(sector[AlternateLbaOffset..], alternateLba);
        BinaryPrimitives.WriteInt64LittleEndian(sector[FirstUsableLbaOffset..], GptLayout.FirstUsableLba);
        BinaryPrimitives.WriteInt64LittleEndian(sector[LastUsableLbaOffset..], lastUsableLba);
        WriteGuid(sector.Slice(DiskGuidOffset, GuidSize), diskGuid);
        BinaryPrimitives.WriteInt64LittleEndian(sector[PartitionEntryLbaOffset..], partitionEntryLba);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[NumberOfPartitionEntriesOffset..], GptLayout.MaxPartitions);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[SizeOfPartitionEntryOffset..], GptLayout.PartitionEntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[PartitionEntryArrayCrc32Offset..], entryArrayCrc);

        BinaryPrimitives.WriteUInt32LittleEndian(sector[HeaderCrc32Offset..], Crc32.Compute(sector[..HeaderSize]));
    }

    private static void WriteEntry(Span<byte> entry, GptPartition partition)
    {
        WriteGuid(entry.Slice(PartitionTypeGuidOffset, GuidSize), partition.TypeGuid);
        WriteGuid(entry.Slice(UniquePartitionGuidOffset, GuidSize), partition.UniqueGuid);
        BinaryPrimitives.WriteInt64LittleEndian(entry[StartingLbaOffset..], partition.StartLba);
        BinaryPrimitives.WriteInt64LittleEndian(entry[EndingLbaOffset..], partition.LastLba);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[AttributesOffset..], partition.Attributes);

        // The entry was cleared, so a name shorter than 36 code units is followed by the zero terminator.
        Encoding.Unicode.GetBytes(partition.Name, entry.Slice(PartitionNameOffset, PartitionNameSize));
    }

    /// <summary>
    /// EFI_GUID stores its first three fields little-endian and the last eight bytes in order, which is the layout
    /// <see cref="Guid.TryWriteBytes(Span{byte}, bool, out int)"/> gives with bigEndian false.
    /// </summary>
    private static void WriteGuid(Span<byte> destination, Guid guid)
    {
        if (!guid.TryWriteBytes(destination, bigEndian: false, out _))
        {
            throw new ArgumentException($"A GUID needs {GuidSize} bytes; the span given is {destination.Length} bytes.", nameof(destination));
        }
    }

    private static void Validate(long diskSectors, string diskName, Guid diskGuid, IReadOnlyList<GptPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);

        if (diskSectors < GptLayout.MinimumDiskSectors)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"{Capitalize(diskName)} has {diskSectors} whole {SectorSize}-byte sectors, but a GPT needs at least {GptLayout.MinimumDiskSectors}: " +
                $"the protective MBR, {GptLayout.FirstUsableLba - 1} sectors for the primary GPT and {GptLayout.BackupSectors} for the backup. " +
                "Create the image at its full size before writing the partition table.");
        }

        if (diskGuid == Guid.Empty)
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                "The disk GUID is all zeros, which tools read as no GUID. Give a real GUID, or a new one from GptWriter.NewGuid().");
        }

        if (partitions.Count > GptLayout.MaxPartitions)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"{partitions.Count} partitions were given, but the GPT partition entry array holds {GptLayout.MaxPartitions}. " +
                $"Remove or merge partitions down to {GptLayout.MaxPartitions}.");
        }

        long lastUsableLba = GptLayout.LastUsableLba(diskSectors);
        var seenGuids = new Dictionary<Guid, int>();
        for (int i = 0; i < partitions.Count; i++)
        {
            var partition = partitions[i];
            ArgumentNullException.ThrowIfNull(partition, $"{nameof(partitions)}[{i}]");
            ArgumentNullException.ThrowIfNull(partition.Name, $"{nameof(partitions)}[{i}].{nameof(partition.Name)}");
            string which = $"Partition {i + 1} ({Describe(partition)})";

            GptLayout.CheckName(partition.Name, which);

            if (partition.TypeGuid == Guid.Empty)
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"{which} has the all-zero type GUID, which a GPT reserves for unused entries, so tools would not see the partition. " +
                    $"Give it a real type, e.g. {GptPartitionType.LinuxFilesystem:D} (8300, Linux filesystem).");
            }

            if (partition.UniqueGuid == Guid.Empty)
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"{which} has the all-zero unique GUID, so it would have no usable PARTUUID. Give it a GUID of its own, e.g. from GptWriter.NewGuid().");
            }

            if (!seenGuids.TryAdd(partition.UniqueGuid, i + 1))
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"{which} has the unique GUID {partition.UniqueGuid:D}, which partition {seenGuids[partition.UniqueGuid]} has too. " +
                    "Every partition needs its own GUID, or PARTUUID= would name two partitions; give one of them a new GUID.");
            }

            if (partition.SectorCount <= 0)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} has {partition.SectorCount} sectors. Give it a size of at least one sector.");
            }

            if (partition.StartLba < GptLayout.FirstUsableLba)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} starts at sector {partition.StartLba}, but sectors 0..{GptLayout.FirstUsableLba - 1} hold the protective MBR and the primary GPT. " +
                    $"Start it at sector {GptLayout.AlignmentBytes / SectorSize} (1 MiB) or later.");
            }

            // Overflow-safe form of last LBA > last usable LBA, for values anywhere in the long range.
            if (partition.StartLba > lastUsableLba || partition.SectorCount - 1 > lastUsableLba - partition.StartLba)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} reaches past sector {lastUsableLba}, the last one a partition may use on {diskName} of {diskSectors} sectors " +
                    $"(the last {GptLayout.BackupSectors} hold the backup GPT). " +
                    "Shrink or move it, or grow the image and plan the layout for the image's real size.");
            }
        }

        // Checked in disk order, but reported with the numbers the partitions have in the table.
        var byStart = Enumerable.Range(0, partitions.Count).OrderBy(i => partitions[i].StartLba).ToArray();
        for (int k = 1; k < byStart.Length; k++)
        {
            var previous = partitions[byStart[k - 1]];
            var current = partitions[byStart[k]];
            if (current.StartLba <= previous.LastLba)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"Partition {byStart[k - 1] + 1} ({Describe(previous)}) and partition {byStart[k] + 1} ({Describe(current)}) overlap. " +
                    "Move or shrink one of them so that each starts after the other ends.");
            }
        }
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Describe(GptPartition partition) =>
        $"'{partition.Name}', sectors {partition.StartLba}..{partition.LastLba}, {partition.SectorCount} sectors";
}
