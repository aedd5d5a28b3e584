using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// Turns the sizes of a configuration into bytes once the image's size is known: each image's own size or the
/// build's, and each partition's share of its disk. The parser runs the same arithmetic on disks whose size
/// the YAML fixes, so such a layout that cannot fit fails before the build starts.
/// </summary>
/// <remarks>
/// The model of the table, shared with the MBR and GPT writers' conventions: partitions are whole multiples of
/// the alignment unit (MBR: <see cref="PartitioningNode.AlignBytes"/>; GPT: 1 MiB), the first starts one unit
/// in, GPT keeps the last unit for its backup table, and each MBR logical partition is preceded by one unit for
/// its extended boot record. An absolute size is rounded up to whole units; a percentage is that share of the
/// space the partitions before it left, rounded down, as diskimage-builder computes it.
/// Logical volumes are sized by lvcreate, so a partition table on one is not resolved here.
/// </remarks>
public static class BlockDeviceSizes
{

    /// <summary>
    /// The size in bytes of every image and every partition that can be sized: images without a size of their own
    /// get <paramref name="defaultImageBytes"/> (the build's <c>ImageSize</c> or the computed size).
    /// </summary>
    /// <exception cref="DibException">DIB3003 when partitions do not fit their disk, naming the first that does not.</exception>
    public static IReadOnlyDictionary<string, long> Resolve(BlockDeviceConfig config, long defaultImageBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(defaultImageBytes);
        return Compute(config.SourceName, config.Nodes, defaultImageBytes);
    }

    /// <summary>As <see cref="Resolve"/>; with no default, images without a size (and what is on them) are left out.</summary>
    internal static Dictionary<string, long> Compute(string source, IEnumerable<BlockDeviceNode> creationOrder, long? defaultImageBytes)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var node in creationOrder)
        {
            switch (node)
            {
                case LocalLoopNode image when (image.Size?.Bytes ?? defaultImageBytes) is { } bytes:
                    sizes[image.Name] = bytes;
                    break;
                case PartitioningNode table when sizes.TryGetValue(table.Base, out var disk):
                    Place(source, table, disk, sizes);
                    break;
            }
        }
        return sizes;
    }

    private static void Place(string source, PartitioningNode table, long diskBytes, Dictionary<string, long> sizes)
    {
        var mbr = table.Label == PartitionTableLabel.Mbr;
        var unit = mbr ? table.AlignBytes : GptLayout.AlignmentBytes;
        var tail = mbr ? 0 : unit;
        var usable = diskBytes / unit * unit - unit - tail;
        long used = 0;
        foreach (var partition in table.Partitions)
        {
            var overhead = mbr && !partition.IsPrimary ? unit : 0;
            var left = Math.Max(0, usable - used - overhead);
            long bytes;
            if (partition.Size.IsPercentage)
            {
                bytes = partition.Size.Resolve(left) / unit * unit;
            }
            else
            {
                // Counted in whole units first so that a size near long.MaxValue cannot overflow while rounding up.
                var units = (partition.Size.Bytes - 1) / unit + 1;
                bytes = units > left / unit ? long.MaxValue : units * unit;
            }

            if (bytes == 0 || bytes > left)
            {
                var wanted = partition.Size.IsPercentage
                    ? $"{partition.Size} of what is left gives less than one {SizeExpression.FormatBytes(unit)} unit"
                    : $"it needs {SizeExpression.FormatBytes(partition.Size.Bytes)}";
                throw BlockDeviceConfigErrors.At(ErrorCodes.PartitionsDoNotFit, source, partition,
                    $"it does not fit: {wanted}, and {SizeExpression.FormatBytes(left)} of the {SizeExpression.FormatBytes(diskBytes)} " +
                    $"'{table.Base}' is left after the partition table{(used > 0 ? " and the partitions before it" : "")}. " +
                    $"Make '{table.Base}' larger or the partitions smaller.");
            }
            sizes[partition.Name] = bytes;
            used += overhead + bytes;
        }
    }
}
