using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places the partitions of an MBR layout on a disk: where each one starts and how many sectors it gets.
/// Owns the arithmetic (alignment, rounding, the 2 TiB limit) and the DIB3003 errors for layouts that do not fit;
/// <see cref="MbrWriter"/> turns the result into bytes.
/// </summary>
public static class MbrLayout
{
    /// <summary>
    /// Every partition starts on a 1 MiB boundary, as fdisk, parted and diskimage-builder do: it matches the erase
    /// blocks of SSDs and the stripes of RAID and cloud volumes, and the first 1 MiB leaves room after the MBR
    /// for GRUB's core image.
    /// </summary>
    public const long AlignmentBytes = 1024 * 1024;

    /// <summary>The MBR counts in 512-byte logical sectors; disks with 4 KiB logical sectors need GPT.</summary>
    public const int SectorSize = 512;

    /// <summary>
    /// Sectors a partition can reach: the MBR stores LBAs as 32-bit values, so the last sector of any partition
    /// must be at most 0xFFFFFFFF, which puts every partition below 2 TiB.
    /// </summary>
    public const long AddressableSectors = 1L << 32;

    /// <summary>The MBR has four partition entries and this planner makes no extended partitions.</summary>
    public const int MaxPrimaryPartitions = 4;

    private const long AlignmentSectors = AlignmentBytes / SectorSize;

    /// <summary>
    /// Places <paramref name="requests"/> one after the other, in order, as primary partitions.
    /// The first starts at sector 2048 (1 MiB); each size is rounded up to a whole 1 MiB, so every start is aligned.
    /// A request with <see cref="PartitionRequest.SizeBytes"/> of zero or less takes the rest of the disk and ends
    /// on the last 1 MiB boundary of the disk, not on its last sector: every partition is then a whole number of MiB,
    /// and on the usual disk size (whole MiB or GiB) the two are the same sector. On any other size the tail of less
    /// than 1 MiB stays unused.
    /// </summary>
    /// <param name="diskSizeBytes">The size of the whole disk image in bytes.</param>
    /// <param name="requests">The partitions in disk order; at most four.</param>
    /// <returns>One <see cref="MbrPartition"/> per request, in the same order.</returns>
    /// <exception cref="DibException">
    /// DIB3003 when there are more than four partitions, a partition does not fit on the disk, a rest-of-disk partition
    /// is not the last, or a partition reaches past the 2 TiB that an MBR can address.
    /// DIB3001 when a partition has type 0x00, which marks an empty entry.
    /// </exception>
    public static IReadOnlyList<MbrPartition> Plan(long diskSizeBytes, IReadOnlyList<PartitionRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);

        if (requests.Count > MaxPrimaryPartitions)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"The MBR layout has {requests.Count} partitions ({string.Join(", ", requests.Select(r => $"'{r.Name}'"))}), " +
                $"but an MBR holds at most {MaxPrimaryPartitions} primary partitions. " +
                $"Remove or merge partitions down to {MaxPrimaryPartitions}, or use a GPT layout.");
        }

        long diskSectors = diskSizeBytes / SectorSize;
        var planned = new List<MbrPartition>(requests.Count);
        long start = AlignmentSectors;

        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            ArgumentNullException.ThrowIfNull(request, $"{nameof(requests)}[{i}]");
            string which = $"Partition {i + 1} '{request.Name}'";

            if (request.Type == 0)
            {
                throw new DibException(ErrorCodes.UnsupportedLayout,
                    $"{which} has type 0x00, which the MBR reserves for an empty entry, so tools would not see the partition. " +
                    "Give it a real type, e.g. 0x83 (Linux) or 0xEF (EFI system).");
            }

            bool takesRest = request.SizeBytes <= 0;
            long sectors;
            if (takesRest)
            {
                if (i != requests.Count - 1)
                {
                    throw new DibException(ErrorCodes.PartitionsDoNotFit,
                        $"{which} takes the rest of the disk (size {request.SizeBytes}), but it is not the last partition: " +
                        $"'{requests[i + 1].Name}' follows it. Give '{request.Name}' a size, or move it to the end of the layout.");
                }

                long end = diskSectors / AlignmentSectors * AlignmentSectors;
                if (end > AddressableSectors)
                {
                    throw new DibException(ErrorCodes.PartitionsDoNotFit,
                        $"{which} takes the rest of the disk, which would end at {FormatBytes(end * SectorSize)}, " +
                        $"past the {FormatBytes(AddressableSectors * SectorSize)} an MBR can address (32-bit sector numbers). " +
                        $"Give '{request.Name}' a size that ends below {FormatBytes(AddressableSectors * SectorSize)}, " +
                        "make the disk smaller, or use a GPT layout.");
                }

                sectors = end - start;
                if (sectors <= 0)
                {
                    throw new DibException(ErrorCodes.PartitionsDoNotFit,
                        $"{which} takes the rest of the disk, but nothing is left: it would start at " +
                        $"{FormatBytes(start * SectorSize)} and the disk is {FormatBytes(diskSizeBytes)}. " +
                        $"Make the disk at least {FormatBytes((start + AlignmentSectors) * SectorSize)}, or shrink the partitions before it.");
                }
            }
            else
            {
                // Counted in whole MiB first so that a size near long.MaxValue cannot overflow while rounding up.
                long alignmentUnits = (request.SizeBytes - 1) / AlignmentBytes + 1;
                sectors = alignmentUnits * AlignmentSectors;
            }

            long endExclusive = start + sectors;
            if (endExclusive > diskSectors)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} does not fit: it needs {FormatBytes(sectors * SectorSize)} (size {request.SizeBytes} bytes rounded up to whole MiB) " +
                    $"from {FormatBytes(start * SectorSize)}, so it ends at {FormatBytes(endExclusive * SectorSize)}, " +
                    $"but the disk is {FormatBytes(diskSizeBytes)}. " +
                    $"Make the disk at least {FormatBytes(endExclusive * SectorSize)}, or shrink '{request.Name}' or the partitions before it.");
            }

            if (endExclusive > AddressableSectors)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} ends at {FormatBytes(endExclusive * SectorSize)} (sector {endExclusive - 1}), " +
                    $"past the {FormatBytes(AddressableSectors * SectorSize)} an MBR can address (32-bit sector numbers, last sector {AddressableSectors - 1}). " +
                    $"Shrink '{request.Name}' or the partitions before it so that it ends below {FormatBytes(AddressableSectors * SectorSize)}, or use a GPT layout.");
            }

            planned.Add(new MbrPartition(start, sectors, request.Type, request.Bootable));

            // Sizes are whole MiB, so the next start is aligned without further rounding.
            start = endExclusive;
        }

        return planned;
    }

    /// <summary>Whole MiB read better in messages; anything else is shown exactly.</summary>
    private static string FormatBytes(long bytes) =>
        bytes % AlignmentBytes == 0 ? $"{bytes / AlignmentBytes} MiB" : $"{bytes} bytes";
}
