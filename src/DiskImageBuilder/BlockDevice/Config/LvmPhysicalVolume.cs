namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>One entry of <c>pvs:</c>: <c>pvcreate</c> on a block device.</summary>
/// <param name="Name">The volume's name; volume groups list it in their base.</param>
/// <param name="Base">The block device (partition, image or logical volume) that becomes the physical volume.</param>
/// <param name="Options">Extra <c>pvcreate</c> arguments, e.g. <c>--force</c>.</param>
/// <param name="SourceLine">The line of the list entry.</param>
public sealed record LvmPhysicalVolume(string Name, string Base, ValueList<string> Options, int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>What messages call a physical volume.</summary>
    public const string KindName = "lvm pv";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Base];
}
