using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places the partitions of an MBR layout on a disk: where each one starts, how many sectors it gets, which are
/// logical partitions in the extended partition and where their extended boot records (EBRs) go.
/// Owns the arithmetic (alignment, the EBR units, the 2 TiB limit) and the errors for layouts that do not fit or
/// that an MBR cannot express; <see cref="MbrWriter"/> turns the result into bytes.
/// </summary>
public static class MbrLayout
{
    /// <summary>
    /// The alignment a layout gets by default: every partition starts on a 1 MiB boundary, as fdisk, parted and
    /// diskimage-builder do: it matches the erase blocks of SSDs and the stripes of RAID and cloud volumes, and the
    /// first 1 MiB leaves room after the MBR for GRUB's core image.
    /// </summary>
    public const long AlignmentBytes = 1024 * 1024;

    /// <summary>The MBR counts in 512-byte logical sectors; disks with 4 KiB logical sectors need GPT.</summary>
    public const int SectorSize = 512;

    /// <summary>
    /// Sectors a partition can reach: the MBR stores LBAs as 32-bit values, so the last sector of any partition
    /// must be at most 0xFFFFFFFF, which puts every partition below 2 TiB.
    /// </summary>
    public const long AddressableSectors = 1L << 32;

    /// <summary>The MBR has four partition entries; with logical partitions, one of them is the extended partition.</summary>
    public const int MaxPrimaryPartitions = 4;

    /// <summary>Linux numbers logical partitions from 5, after the four MBR entries, in the order of the EBR chain.</summary>
    public const int FirstLogicalNumber = MaxPrimaryPartitions + 1;

    /// <summary>
    /// The type of the extended partition's MBR entry: 0x0F, extended with LBA addressing, since its sectors are
    /// found by LBA and it may lie beyond the 8 GiB that CHS reaches.
    /// </summary>
    public const byte ExtendedPartitionType = 0x0F;

    /// <summary>The type of the entry of an EBR that points at the next EBR: 0x05, as Linux and fdisk write it.</summary>
    public const byte ExtendedLinkType = 0x05;

    /// <summary>Types that mark an extended partition (DOS CHS, LBA, and Linux's own): a partition of one would be read as a chain of EBRs.</summary>
    private static readonly byte[] ExtendedTypes = [0x05, 0x0F, 0x85];

    /// <summary>Whether <paramref name="type"/> marks an extended partition, which the SDK writes itself around the logical ones.</summary>
    public static bool IsExtendedType(byte type) => ExtendedTypes.Contains(type);

    /// <summary>
    /// Places <paramref name="requests"/> back to back in their order, as the block-device size model
    /// (<see cref="BlockDeviceSizes"/>) counts them: the first partition starts one alignment unit in, a primary
    /// partition starts where the one before it ends, and a logical partition starts one unit later, after the unit
    /// that holds its EBR. The extended partition runs from the first EBR to the end of the last logical partition.
    /// </summary>
    /// <param name="diskBytes">The size of the whole disk image in bytes.</param>
    /// <param name="alignBytes">The alignment unit: above zero and a multiple of <see cref="SectorSize"/>.</param>
    /// <param name="requests">
    /// The partitions in disk order. Logical ones (not <see cref="MbrPartitionRequest.Primary"/>) must follow one
    /// another, since an MBR has a single extended partition; with logical partitions there may be three primary
    /// ones, without them four.
    /// </param>
    /// <exception cref="DibException">
    /// DIB3003 when a partition does not fit on the disk or ends past the 2 TiB an MBR can address, when there are
    /// more primary partitions than the MBR has entries, or when a primary partition lies between logical ones.
    /// DIB3001 when a partition has type 0x00 (an empty entry) or the type of an extended partition.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="alignBytes"/> is not a positive multiple of 512, or a size is not a positive multiple of it.
    /// </exception>
    public static MbrTablePlan Place(long diskBytes, long alignBytes, IReadOnlyList<MbrPartitionRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (alignBytes <= 0 || alignBytes % SectorSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignBytes), alignBytes,
                $"The alignment must be a positive multiple of {SectorSize} bytes.");
        }

        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            ArgumentNullException.ThrowIfNull(request, $"{nameof(requests)}[{i}]");
            if (request.SizeBytes <= 0 || request.SizeBytes % alignBytes != 0)
            {
                throw new ArgumentException(
                    $"Partition '{request.Name}' has {request.SizeBytes} bytes, which is not a positive multiple of the " +
                    $"alignment ({alignBytes} bytes); sizes are resolved to whole alignment units before they are placed.",
                    nameof(requests));
            }

            CheckType(request, i + 1);
        }

        CheckLogicalsFollowEachOther(requests);
        CheckEntries(requests);

        long diskSectors = diskBytes / SectorSize;
        long alignSectors = alignBytes / SectorSize;
        var placed = new List<PlacedMbrPartition>(requests.Count);
        long start = alignSectors;
        int nextEntry = 1;
        int nextLogical = FirstLogicalNumber;
        long? extendedStart = null;
        long extendedEnd = 0;

        foreach (var request in requests)
        {
            long? bootRecord = null;
            int number;
            if (request.Primary)
            {
                number = nextEntry++;
            }
            else
            {
                if (extendedStart is null)
                {
                    extendedStart = start;
                    nextEntry++;
                }

                bootRecord = start;
                start += alignSectors;
                number = nextLogical++;
            }

            long sectors = request.SizeBytes / SectorSize;
            long end = start + sectors;
            CheckFits(request, number, bootRecord, start, end, diskSectors, diskBytes);

            placed.Add(new PlacedMbrPartition(request.Name, number, start, sectors, request.Type, request.Bootable, bootRecord));
            if (!request.Primary)
            {
                extendedEnd = end;
            }

            // Sizes are whole alignment units, so the next start is aligned without further rounding.
            start = end;
        }

        return new MbrTablePlan(alignBytes, placed, extendedStart, extendedEnd - extendedStart);
    }

    private static void CheckType(MbrPartitionRequest request, int position)
    {
        string which = $"Partition {position} '{request.Name}'";
        if (request.Type == 0)
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{which} has type 0x00, which the MBR reserves for an empty entry, so tools would not see the partition. " +
                "Give it a real type, e.g. 0x83 (Linux) or 0xEF (EFI system).");
        }

        if (IsExtendedType(request.Type))
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{which} has type 0x{request.Type:X2}, which marks an extended partition, so tools would read its contents " +
                "as a chain of extended boot records. The extended partition is made for you around the partitions without " +
                $"the 'primary' flag; give '{request.Name}' the type of what it holds, e.g. 0x83 (Linux).");
        }
    }

    /// <summary>An MBR has one extended partition, and the logical partitions are the contiguous space inside it.</summary>
    private static void CheckLogicalsFollowEachOther(IReadOnlyList<MbrPartitionRequest> requests)
    {
        int first = -1;
        for (int i = 0; i < requests.Count; i++)
        {
            if (requests[i].Primary)
            {
                continue;
            }

            if (first >= 0 && requests[i - 1].Primary)
            {
                var before = requests.Take(i).Last(r => !r.Primary);
                var between = requests.Skip(first).Take(i - first).Where(r => r.Primary).Select(r => $"'{r.Name}'");
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"The primary partition(s) {string.Join(", ", between)} lie between the logical partitions '{before.Name}' and " +
                    $"'{requests[i].Name}'. An MBR has a single extended partition, so its logical partitions must follow one " +
                    $"another. Move {string.Join(", ", between)} before the first or after the last logical partition, " +
                    "or make it a logical partition by removing 'primary' from its flags.");
            }

            if (first < 0)
            {
                first = i;
            }
        }
    }

    private static void CheckEntries(IReadOnlyList<MbrPartitionRequest> requests)
    {
        var primaries = requests.Where(r => r.Primary).Select(r => $"'{r.Name}'").ToList();
        bool hasLogicals = primaries.Count < requests.Count;
        int entries = primaries.Count + (hasLogicals ? 1 : 0);
        if (entries <= MaxPrimaryPartitions)
        {
            return;
        }

        string message = hasLogicals
            ? $"The MBR layout has {primaries.Count} primary partitions ({string.Join(", ", primaries)}) and logical ones, " +
              $"which need an MBR entry for the extended partition as well: {entries} entries, but an MBR has {MaxPrimaryPartitions}, " +
              $"so at most {MaxPrimaryPartitions - 1} primary partitions go with logical ones. Remove 'primary' from the flags of " +
              $"{entries - MaxPrimaryPartitions} of the partitions next to the logical ones, or use a GPT layout."
            : $"The MBR layout has {primaries.Count} primary partitions ({string.Join(", ", primaries)}), " +
              $"but an MBR holds at most {MaxPrimaryPartitions}. Make the partitions after the third logical by removing " +
              "'primary' from their flags, merge partitions, or use a GPT layout.";
        throw new DibException(ErrorCodes.PartitionsDoNotFit, message);
    }

    private static void CheckFits(MbrPartitionRequest request, int number, long? bootRecord, long start, long end, long diskSectors, long diskBytes)
    {
        string which = bootRecord is null
            ? $"Partition {number} '{request.Name}'"
            : $"Logical partition {number} '{request.Name}'";
        string from = bootRecord is { } ebr
            ? $"from {Format(start * SectorSize)} (after its extended boot record at {Format(ebr * SectorSize)})"
            : $"from {Format(start * SectorSize)}";
        if (end > diskSectors)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"{which} does not fit: it needs {Format(request.SizeBytes)} {from}, so it ends at {Format(end * SectorSize)}, " +
                $"but the disk is {Format(diskBytes)}. Make the disk at least {Format(end * SectorSize)}, " +
                $"or shrink '{request.Name}' or the partitions before it.");
        }

        if (end > AddressableSectors)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"{which} ends at {Format(end * SectorSize)} (sector {end - 1}), past the {Format(AddressableSectors * SectorSize)} " +
                $"an MBR can address (32-bit sector numbers, last sector {AddressableSectors - 1}). " +
                $"Shrink '{request.Name}' or the partitions before it so that it ends below {Format(AddressableSectors * SectorSize)}, " +
                "or use a GPT layout.");
        }
    }

    private static string Format(long bytes) => SizeExpression.FormatBytes(bytes);
}
