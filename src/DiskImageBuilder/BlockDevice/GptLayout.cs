using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places the partitions of a GPT layout on a disk: where each one starts, how many sectors it gets, and its type
/// and GUID. Owns the geometry of a GPT disk as this SDK writes it (128 entries of 128 bytes, so partitions may use
/// LBA 34 up to 34 sectors before the end) and the DIB3003 errors for layouts that do not fit;
/// <see cref="GptWriter"/> turns the result into bytes.
/// </summary>
public static class GptLayout
{
    /// <summary>
    /// Every partition starts on a 1 MiB boundary, as sgdisk, parted and diskimage-builder do: it matches the erase
    /// blocks of SSDs and the stripes of RAID and cloud volumes.
    /// </summary>
    public const long AlignmentBytes = 1024 * 1024;

    /// <summary>The GPT is written for 512-byte logical blocks; disks with 4 KiB logical blocks are not supported.</summary>
    public const int SectorSize = 512;

    /// <summary>
    /// Entries in the partition entry array. 128 is what every partitioning tool writes and the least the UEFI
    /// specification allows (16 KiB of entries), so it is also the most partitions a layout may have.
    /// </summary>
    public const int MaxPartitions = 128;

    /// <summary>SizeOfPartitionEntry: 128 bytes, the size of the entry defined by UEFI specification revision 2.x.</summary>
    public const int PartitionEntrySize = 128;

    /// <summary>PartitionName is CHAR16[36]: 36 UTF-16 code units, without a terminator when all are used.</summary>
    public const int MaxNameLength = 36;

    /// <summary>The primary GPT header sits right after the protective MBR.</summary>
    public const long PrimaryHeaderLba = 1;

    /// <summary>The primary partition entry array follows its header.</summary>
    public const long PrimaryEntriesLba = 2;

    /// <summary>Sectors of one partition entry array: 128 entries × 128 bytes = 32 sectors.</summary>
    public const long EntryArraySectors = (long)MaxPartitions * PartitionEntrySize / SectorSize;

    /// <summary>FirstUsableLBA: the first sector after the primary entry array, i.e. 34.</summary>
    public const long FirstUsableLba = PrimaryEntriesLba + EntryArraySectors;

    /// <summary>Sectors at the end of the disk that hold the backup entry array and, in the very last one, the backup header.</summary>
    public const long BackupSectors = EntryArraySectors + 1;

    /// <summary>The smallest disk that holds the protective MBR, both GPTs and one usable sector between them.</summary>
    public const long MinimumDiskSectors = FirstUsableLba + 1 + BackupSectors;

    private const long AlignmentSectors = AlignmentBytes / SectorSize;

    /// <summary>LastUsableLBA of a disk of <paramref name="diskSectors"/> sectors: the sector before the backup entry array.</summary>
    public static long LastUsableLba(long diskSectors) => diskSectors - BackupSectors - 1;

    /// <summary>
    /// Places <paramref name="requests"/> one after the other, in order. The first starts at sector 2048 (1 MiB);
    /// each size is rounded up to a whole 1 MiB, so every start is aligned.
    /// A request with <see cref="GptPartitionRequest.SizeBytes"/> of zero or less takes the rest of the disk and ends
    /// on the last 1 MiB boundary before the backup GPT, not on the last usable sector: every partition is then a
    /// whole number of MiB (sgdisk -v warns about partitions that do not end on a boundary, and diskimage-builder
    /// also sizes partitions in whole MiB). The backup GPT takes the last 33 sectors, so on a disk of whole MiB the
    /// last MiB, less those sectors, stays unused.
    /// </summary>
    /// <param name="diskBytes">The size of the whole disk image in bytes.</param>
    /// <param name="requests">The partitions in disk order; at most <see cref="MaxPartitions"/>.</param>
    /// <returns>
    /// One <see cref="GptPartition"/> per request, in the same order, with the type resolved to its GUID and a new
    /// random unique GUID where the request has none.
    /// </returns>
    /// <exception cref="DibException">
    /// DIB3003 when there are more than <see cref="MaxPartitions"/> partitions, a partition does not fit before the
    /// backup GPT, or a rest-of-disk partition is not the last.
    /// DIB3001 when a type is neither a known code nor a GUID, or a name is longer than <see cref="MaxNameLength"/>.
    /// </exception>
    public static IReadOnlyList<GptPartition> Plan(long diskBytes, IReadOnlyList<GptPartitionRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);

        if (requests.Count > MaxPartitions)
        {
            throw new DibException(ErrorCodes.PartitionsDoNotFit,
                $"The GPT layout has {requests.Count} partitions, but the partition entry array holds {MaxPartitions}; " +
                $"'{requests[MaxPartitions]?.Name}' is partition {MaxPartitions + 1}. " +
                $"Remove or merge partitions down to {MaxPartitions}, or use LVM volumes inside one partition.");
        }

        long diskSectors = diskBytes / SectorSize;

        // Partitions end before the backup entry array; a rest-of-disk partition ends on the last boundary before it.
        long usableEnd = LastUsableLba(diskSectors) + 1;
        long alignedUsableEnd = usableEnd / AlignmentSectors * AlignmentSectors;
        var planned = new List<GptPartition>(requests.Count);
        long start = AlignmentSectors;

        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            ArgumentNullException.ThrowIfNull(request, $"{nameof(requests)}[{i}]");
            ArgumentNullException.ThrowIfNull(request.Name, $"{nameof(requests)}[{i}].{nameof(request.Name)}");
            string which = $"Partition {i + 1} '{request.Name}'";

            CheckName(request.Name, which);
            Guid typeGuid = GptPartitionType.Resolve(request.Type, which);

            bool takesRest = request.SizeBytes <= 0;
            long sectors;
            if (takesRest)
            {
                if (i != requests.Count - 1)
                {
                    throw new DibException(ErrorCodes.PartitionsDoNotFit,
                        $"{which} takes the rest of the disk (size {request.SizeBytes}), but it is not the last partition: " +
                        $"'{requests[i + 1]?.Name}' follows it. Give '{request.Name}' a size, or move it to the end of the layout.");
                }

                sectors = alignedUsableEnd - start;
                if (sectors <= 0)
                {
                    throw new DibException(ErrorCodes.PartitionsDoNotFit,
                        $"{which} takes the rest of the disk, but nothing is left: it would start at {FormatBytes(start * SectorSize)} " +
                        $"(sector {start}), and on a disk of {FormatBytes(diskBytes)} the last whole MiB before the backup GPT " +
                        $"ends at {FormatBytes(Math.Max(alignedUsableEnd, 0) * SectorSize)}. " +
                        $"Make the disk at least {FormatBytes(MinimumDiskBytes(start + AlignmentSectors))}, or shrink the partitions before it.");
                }
            }
            else
            {
                // Counted in whole MiB first so that a size near long.MaxValue cannot overflow while rounding up;
                // in sectors it is then at most long.MaxValue / 512, so the end below cannot overflow either.
                long alignmentUnits = (request.SizeBytes - 1) / AlignmentBytes + 1;
                sectors = alignmentUnits * AlignmentSectors;
            }

            long endExclusive = start + sectors;
            if (endExclusive > usableEnd)
            {
                throw new DibException(ErrorCodes.PartitionsDoNotFit,
                    $"{which} does not fit: it needs {FormatBytes(sectors * SectorSize)} (size {request.SizeBytes} bytes rounded up to whole MiB) " +
                    $"from sector {start}, so its last sector would be {endExclusive - 1}, but on a disk of {FormatBytes(diskBytes)} " +
                    $"the last sector a partition may use is {usableEnd - 1} (the last {BackupSectors} sectors hold the backup GPT). " +
                    $"Make the disk at least {FormatBytes(MinimumDiskBytes(endExclusive))}, or shrink '{request.Name}' or the partitions before it.");
            }

            planned.Add(new GptPartition(start, sectors, typeGuid, request.UniqueGuid ?? GptWriter.NewGuid(), request.Name, request.Attributes));

            // Sizes are whole MiB, so the next start is aligned without further rounding.
            start = endExclusive;
        }

        return planned;
    }

    /// <summary>
    /// Throws DIB3001 when <paramref name="name"/> cannot be stored as a GPT partition name.
    /// <paramref name="subject"/> starts the message, e.g. <c>Partition 2 'ESP'</c>.
    /// </summary>
    internal static void CheckName(string name, string subject)
    {
        if (name.Length > MaxNameLength)
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{subject} has a name of {name.Length} UTF-16 code units, but a GPT partition name holds at most {MaxNameLength}. " +
                $"Shorten it to {MaxNameLength}, e.g. '{name[..MaxNameLength]}'.");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{subject} has a name with a NUL character, which ends a GPT partition name early. Remove the NUL character.");
        }
    }

    /// <summary>The smallest disk, rounded up to whole MiB, that has room for partitions ending at <paramref name="endExclusive"/>.</summary>
    private static long MinimumDiskBytes(long endExclusive)
    {
        long sectors = endExclusive + BackupSectors;
        return (sectors + AlignmentSectors - 1) / AlignmentSectors * AlignmentBytes;
    }

    /// <summary>Whole MiB read better in messages; anything else is shown exactly.</summary>
    private static string FormatBytes(long bytes) =>
        bytes % AlignmentBytes == 0 ? $"{bytes / AlignmentBytes} MiB" : $"{bytes} bytes";
}
