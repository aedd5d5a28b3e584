namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// <c>lvm</c>: physical volumes, volume groups and logical volumes. Each of them is a graph node of its own that
/// others name as their base (a filesystem on <c>lv_root</c>); this node only groups them and orders them after
/// its optional <see cref="Bases"/>.
/// </summary>
/// <param name="Name">The node's name; <c>lvm_BASE</c>, or <c>lvm</c> without a base, when the YAML gives none.</param>
/// <param name="Bases">Nodes to create first; diskimage-builder uses them for ordering only.</param>
/// <param name="PhysicalVolumes">The <c>pvs:</c>.</param>
/// <param name="VolumeGroups">The <c>vgs:</c>.</param>
/// <param name="LogicalVolumes">The <c>lvs:</c>, in creation order.</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record LvmNode(
    string Name,
    ValueList<string> Bases,
    ValueList<LvmPhysicalVolume> PhysicalVolumes,
    ValueList<LvmVolumeGroup> VolumeGroups,
    ValueList<LvmLogicalVolume> LogicalVolumes,
    int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "lvm";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => Bases;
}
