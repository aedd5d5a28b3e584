namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>The partition table a <c>partitioning</c> node writes (its <c>label:</c>).</summary>
public enum PartitionTableLabel
{
    /// <summary>A DOS/MBR table: four primary entries, logical partitions in a chain of EBRs.</summary>
    Mbr,

    /// <summary>A GUID partition table.</summary>
    Gpt,
}
