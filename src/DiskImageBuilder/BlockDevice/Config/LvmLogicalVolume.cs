namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// One entry of <c>lvs:</c>: <c>lvcreate</c> in a volume group. Its size is kept as written because it is
/// <c>lvcreate</c>'s syntax, not the block-device one: <c>-L 1800M</c> means MiB there, <c>-l 23%VG</c> extents.
/// </summary>
/// <param name="Name">The volume's name; a filesystem names it as its base.</param>
/// <param name="Base">The volume group.</param>
/// <param name="Size">The <c>-L</c> value, or null when <paramref name="Extents"/> is given.</param>
/// <param name="Extents">The <c>-l</c> value, or null when <paramref name="Size"/> is given.</param>
/// <param name="Type"><c>thin-pool</c>, <c>thin</c>, or null for a plain volume.</param>
/// <param name="ThinPool">For a <c>thin</c> volume, the thin pool (a volume of the same group) it lives in.</param>
/// <param name="Options">Extra <c>lvcreate</c> arguments.</param>
/// <param name="SourceLine">The line of the list entry.</param>
public sealed record LvmLogicalVolume(
    string Name,
    string Base,
    string? Size,
    string? Extents,
    string? Type,
    string? ThinPool,
    ValueList<string> Options,
    int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>What messages call a logical volume.</summary>
    public const string KindName = "lvm lv";

    /// <summary>The <c>type:</c> of a pool that thin volumes live in.</summary>
    public const string ThinPoolType = "thin-pool";

    /// <summary>The <c>type:</c> of a thin volume.</summary>
    public const string ThinType = "thin";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => ThinPool is null ? [Base] : [Base, ThinPool];
}
