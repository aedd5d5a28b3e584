namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// A partition of an <see cref="MbrTablePlan"/>: where it lies and the number Linux gives it. Positions are absolute
/// 512-byte sectors (<see cref="MbrLayout.SectorSize"/>), also for logical partitions, whose EBR stores them relative.
/// </summary>
/// <param name="Name">The name of the <see cref="MbrPartitionRequest"/> it was placed for.</param>
/// <param name="Number">
/// 1 to 4 for a primary partition: its entry in the MBR, which is the N of <c>sdaN</c> (the extended partition
/// takes one of these numbers too); 5 and on for logical partitions, in the order of the EBR chain.
/// </param>
/// <param name="StartSector">LBA of the partition's first sector.</param>
/// <param name="SectorCount">Number of sectors in the partition.</param>
/// <param name="Type">The MBR partition type byte.</param>
/// <param name="Bootable">Whether the entry is marked active (status 0x80).</param>
/// <param name="BootRecordSector">For a logical partition, the LBA of its EBR; null for a primary partition.</param>
public sealed record PlacedMbrPartition(string Name, int Number, long StartSector, long SectorCount, byte Type, bool Bootable, long? BootRecordSector)
{
    /// <summary>Whether the partition is a logical one, inside the extended partition.</summary>
    public bool IsLogical => BootRecordSector is not null;
}
