namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// An MBR partition table placed by <see cref="MbrLayout.Place"/> and written by
/// <see cref="MbrWriter.Write(string, uint, MbrTablePlan)"/>: every partition in disk order, and the extended
/// partition that holds the logical ones, if there are any.
/// </summary>
/// <param name="AlignBytes">The alignment unit the partitions were placed with.</param>
/// <param name="Partitions">Primary and logical partitions in disk order (the order they were requested).</param>
/// <param name="ExtendedStartSector">The first sector of the extended partition, which is the first EBR; null without logical partitions.</param>
/// <param name="ExtendedSectorCount">From the first EBR to the end of the last logical partition; null without logical partitions.</param>
public sealed record MbrTablePlan(long AlignBytes, IReadOnlyList<PlacedMbrPartition> Partitions, long? ExtendedStartSector, long? ExtendedSectorCount)
{
    /// <summary>
    /// The MBR entry (1 to 4) of the extended partition, or null without one: the MBR lists its entries in disk
    /// order, so it is the entry after the primary partitions that lie before it.
    /// </summary>
    public int? ExtendedNumber => ExtendedStartSector is { } start
        ? Partitions.Count(p => !p.IsLogical && p.StartSector < start) + 1
        : null;
}
