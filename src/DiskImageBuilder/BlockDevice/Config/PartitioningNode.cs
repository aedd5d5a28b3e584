namespace DiskImageBuilder.BlockDevice.Config;

/// <summary><c>partitioning</c>: a partition table on a block device, and the partitions in it, in disk order.</summary>
/// <param name="Name">The node's name; <c>partitioning_BASE</c> when the YAML gives none.</param>
/// <param name="Base">The block device the table is written on.</param>
/// <param name="Label">MBR or GPT.</param>
/// <param name="Align">MBR only: where partitions start (a multiple of 512 bytes), or null for <see cref="DefaultAlignBytes"/>.</param>
/// <param name="Partitions">The partitions in the order they are created; the same records appear as graph nodes.</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record PartitioningNode(
    string Name,
    string Base,
    PartitionTableLabel Label,
    SizeExpression? Align,
    ValueList<PartitionNode> Partitions,
    int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "partitioning";

    /// <summary>
    /// 1 MiB: the alignment diskimage-builder, fdisk and parted use, which matches SSD erase blocks and RAID and
    /// cloud volume stripes and leaves GRUB room after the MBR.
    /// </summary>
    public const long DefaultAlignBytes = 1024 * 1024;

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Base];

    /// <summary>Where partitions start: <see cref="Align"/>, or 1 MiB.</summary>
    public long AlignBytes => Align?.Bytes ?? DefaultAlignBytes;
}
