namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>One entry of a <c>partitioning</c> node's <c>partitions:</c> list; a block device others build on.</summary>
/// <param name="Name">The partition's name (mandatory in the YAML); on GPT also the partition's label in the table.</param>
/// <param name="Base">The block device the partition is on: its partitioning's base, as diskimage-builder records it.</param>
/// <param name="Partitioning">The name of the <see cref="PartitioningNode"/> that creates the partition.</param>
/// <param name="Flags"><c>boot</c> and, on MBR, <c>primary</c>.</param>
/// <param name="Size">The size; a percentage is a share of the space the partitions before it left free.</param>
/// <param name="Type">The partition type; 0x83 on MBR and 8300 on GPT when the YAML gives none.</param>
/// <param name="SourceLine">The line of the list entry.</param>
public sealed record PartitionNode(
    string Name,
    string Base,
    string Partitioning,
    PartitionFlags Flags,
    SizeExpression Size,
    PartitionTypeCode Type,
    int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>What messages call a partition; the YAML has no key of its own for it.</summary>
    public const string KindName = "partition";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Partitioning];

    /// <summary>Whether the partition is marked bootable.</summary>
    public bool IsBoot => Flags.HasFlag(PartitionFlags.Boot);

    /// <summary>Whether the partition is an MBR primary partition (on MBR, the others are logical).</summary>
    public bool IsPrimary => Flags.HasFlag(PartitionFlags.Primary);
}
