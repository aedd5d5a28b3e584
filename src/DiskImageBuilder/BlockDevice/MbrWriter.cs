using System.Buffers.Binary;
using System.Globalization;
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
    internal const int DiskSignatureOffset = 440;

    /// <summary>Unknown, 2 bytes: zero, since 0x5A5A would mark the disk copy-protected.</summary>
    private const int ReservedOffset = 444;

    private const int ReservedSize = 2;

    /// <summary>PartitionRecord[4], 16 bytes each (<see cref="MbrPartitionRecord"/>); EBRs keep theirs at the same place.</summary>
    internal const int PartitionRecordsOffset = 446;

    /// <summary>Signature, 2 bytes LE: 0xAA55, i.e. 0x55 at 510 and 0xAA at 511.</summary>
    internal const int SignatureOffset = 510;

    internal const ushort Signature = 0xAA55;

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
    /// Writes the table of <paramref name="plan"/> into the existing image file at <paramref name="imagePath"/>:
    /// bytes 440..511 of sector 0 (disk signature, the primary partitions and the extended partition in disk order,
    /// boot signature) and, for each logical partition, the whole sector of its extended boot record.
    /// Boot code already in bytes 0..439 of sector 0 is kept; nothing else on the disk is touched.
    /// </summary>
    /// <param name="imagePath">An existing image file, long enough to hold every partition.</param>
    /// <param name="diskSignature">The disk signature; see <see cref="NewDiskSignature"/>.</param>
    /// <param name="plan">A plan from <see cref="MbrLayout.Place"/>, or one that keeps the same rules.</param>
    /// <exception cref="DibException">
    /// DIB3003 when the plan breaks a rule of <see cref="WriteSector"/>, a logical partition or its EBR lies outside
    /// the extended partition or overlaps another, or a partition ends past the end of the file;
    /// DIB3001 when a partition has type 0x00.
    /// </exception>
    /// <exception cref="ArgumentException">The plan's partition numbers do not follow the MBR's rules.</exception>
    public static void Write(string imagePath, uint diskSignature, MbrTablePlan plan)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plan.Partitions);

        var entries = MbrEntries(plan);
        var logicals = LogicalChain(plan);

        var mbr = new byte[MbrLayout.SectorSize];
        WriteSector(mbr, diskSignature, entries);
        var bootRecords = new byte[logicals.Count][];
        for (int i = 0; i < logicals.Count; i++)
        {
            bootRecords[i] = new byte[MbrLayout.SectorSize];
            ExtendedBootRecord.Write(bootRecords[i], logicals[i], i + 1 < logicals.Count ? logicals[i + 1] : null, plan.ExtendedStartSector!.Value);
        }

        using var image = File.OpenHandle(imagePath, FileMode.Open, FileAccess.Write);
        long imageSectors = RandomAccess.GetLength(image) / MbrLayout.SectorSize;
        foreach (var (name, endExclusive) in entries.Select((e, i) => ($"MBR entry {i + 1}", e.StartSector + e.SectorCount))
            .Concat(plan.Partitions.Select(p => ($"partition {p.Number} '{p.Name}'", p.StartSector + p.SectorCount))))
        {
            if (endExclusive > imageSectors)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"The {name} ends at sector {endExclusive - 1}, past the end of the image '{imagePath}', which has {imageSectors} sectors. " +
                    $"Grow the image to at least {endExclusive * MbrLayout.SectorSize} bytes before writing the partition table, " +
                    "or plan the layout for the image's real size.");
            }
        }

        // The EBRs first: a table that fails halfway then has no MBR that points into a broken chain.
        for (int i = 0; i < logicals.Count; i++)
        {
            RandomAccess.Write(image, bootRecords[i], logicals[i].BootRecordSector!.Value * MbrLayout.SectorSize);
        }

        // The boot code may already be in place, so only the table part of sector 0 goes to the file.
        RandomAccess.Write(image, mbr.AsSpan(DiskSignatureOffset), DiskSignatureOffset);
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

        var records = sector.Slice(PartitionRecordsOffset, MbrLayout.MaxPrimaryPartitions * MbrPartitionRecord.Size);
        records.Clear();
        for (int i = 0; i < partitions.Count; i++)
        {
            var partition = partitions[i];
            MbrPartitionRecord.Write(records.Slice(i * MbrPartitionRecord.Size, MbrPartitionRecord.Size),
                partition.StartSector, partition.SectorCount, partition.Type, partition.Bootable);
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

    /// <summary>The four MBR entries in table order: the primary partitions at their numbers and the extended partition in the one left.</summary>
    private static List<MbrPartition> MbrEntries(MbrTablePlan plan)
    {
        var slots = new MbrPartition?[MbrLayout.MaxPrimaryPartitions];
        foreach (var partition in plan.Partitions)
        {
            ArgumentNullException.ThrowIfNull(partition, nameof(plan.Partitions));
            if (partition.IsLogical)
            {
                continue;
            }

            if (partition.Number is < 1 or > MbrLayout.MaxPrimaryPartitions || slots[partition.Number - 1] is not null)
            {
                throw new ArgumentException(
                    $"Primary partition '{partition.Name}' has number {partition.Number}; primary partitions have distinct numbers 1 to {MbrLayout.MaxPrimaryPartitions}.",
                    nameof(plan));
            }

            slots[partition.Number - 1] = new MbrPartition(partition.StartSector, partition.SectorCount, partition.Type, partition.Bootable);
        }

        bool hasLogicals = plan.Partitions.Any(p => p.IsLogical);
        if (plan.ExtendedStartSector is { } extendedStart && plan.ExtendedSectorCount is { } extendedSectors && hasLogicals)
        {
            int number = plan.ExtendedNumber!.Value;
            if (number > MbrLayout.MaxPrimaryPartitions || slots[number - 1] is not null)
            {
                throw new ArgumentException(
                    $"The extended partition belongs in MBR entry {number}, in disk order, but that entry is taken or does not exist. " +
                    "Number the primary partitions in disk order, leaving out the extended partition's entry.",
                    nameof(plan));
            }

            slots[number - 1] = new MbrPartition(extendedStart, extendedSectors, MbrLayout.ExtendedPartitionType, Bootable: false);
        }
        else if (hasLogicals || plan.ExtendedStartSector is not null || plan.ExtendedSectorCount is not null)
        {
            throw new ArgumentException(
                "A plan has logical partitions exactly when it has an extended partition with a start and a size.", nameof(plan));
        }

        int used = slots.Count(s => s is not null);
        if (slots.Take(used).Any(s => s is null))
        {
            throw new ArgumentException(
                $"The MBR entries of the plan are {string.Join(", ", slots.Select((s, i) => s is null ? null : (i + 1).ToString(CultureInfo.InvariantCulture)).OfType<string>())}; " +
                "Linux numbers the entries by their place, so they are 1, 2, ... without gaps.",
                nameof(plan));
        }

        return slots.Take(used).Select(s => s!).ToList();
    }

    /// <summary>The logical partitions in chain order, checked to lie one after the other inside the extended partition.</summary>
    private static List<PlacedMbrPartition> LogicalChain(MbrTablePlan plan)
    {
        var logicals = plan.Partitions.Where(p => p.IsLogical).ToList();
        if (logicals.Count == 0)
        {
            return logicals;
        }

        long extendedStart = plan.ExtendedStartSector!.Value;
        long extendedEnd = extendedStart + plan.ExtendedSectorCount!.Value;
        long previousEnd = extendedStart;
        for (int i = 0; i < logicals.Count; i++)
        {
            var logical = logicals[i];
            long bootRecord = logical.BootRecordSector!.Value;
            string which = $"Logical partition {logical.Number} '{logical.Name}' (EBR at sector {bootRecord}, sectors {logical.StartSector}..{logical.StartSector + logical.SectorCount - 1})";
            if (logical.Number != MbrLayout.FirstLogicalNumber + i)
            {
                throw new ArgumentException(
                    $"{which} is logical partition {i + 1} of the chain, so Linux calls it number {MbrLayout.FirstLogicalNumber + i}.", nameof(plan));
            }

            if (logical.Type == 0)
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"{which} has type 0x00, which ends the chain of extended boot records, so tools would not see it. " +
                    "Give it a real type, e.g. 0x83 (Linux).");
            }

            if (i == 0 && bootRecord != extendedStart)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} is the first logical partition, so its EBR must be the extended partition's first sector, {extendedStart}. " +
                    "Start the extended partition at the first EBR.");
            }

            if (bootRecord < previousEnd || logical.StartSector <= bootRecord || logical.SectorCount <= 0
                || logical.SectorCount > extendedEnd - logical.StartSector)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} does not lie inside the extended partition (sectors {extendedStart}..{extendedEnd - 1}) after its EBR and " +
                    $"after the logical partition before it (which ends before sector {previousEnd}). Move it, or make the extended partition cover it.");
            }

            previousEnd = logical.StartSector + logical.SectorCount;
        }

        return logicals;
    }

    private static string Describe(MbrPartition partition) =>
        $"sectors {partition.StartSector}..{partition.StartSector + partition.SectorCount - 1}, {partition.SectorCount} sectors";
}
