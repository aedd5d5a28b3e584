namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>One entry of <c>vgs:</c>: <c>vgcreate</c> over one or more physical volumes.</summary>
/// <param name="Name">The group's name; logical volumes name it as their base.</param>
/// <param name="Bases">The physical volumes the group spans.</param>
/// <param name="Options">Extra <c>vgcreate</c> arguments.</param>
/// <param name="SourceLine">The line of the list entry.</param>
public sealed record LvmVolumeGroup(string Name, ValueList<string> Bases, ValueList<string> Options, int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>What messages call a volume group.</summary>
    public const string KindName = "lvm vg";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => Bases;
}
