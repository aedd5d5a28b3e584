namespace DiskImageBuilder.BlockDevice.Config;

/// <summary><c>mkfs</c>: a filesystem on a block device.</summary>
/// <param name="Name">The node's name; <c>mkfs_BASE</c> when the YAML gives none.</param>
/// <param name="Base">The block device.</param>
/// <param name="Type">
/// The filesystem, or null only for <see cref="RootName"/>, which then takes the build's root filesystem type
/// (diskimage-builder's FS_TYPE), as its fallback layout relies on.
/// </param>
/// <param name="Label">
/// The label as written, or null: then the label is <see cref="Name"/> (upper-cased on vfat), except on
/// <see cref="RootName"/>, which takes the build's root label.
/// </param>
/// <param name="Uuid">The filesystem UUID (vfat: the volume id XXXX-XXXX), or null for a random one.</param>
/// <param name="Options">Extra arguments for the mkfs program (<c>opts:</c>, split at white space).</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record MkfsNode(
    string Name,
    string Base,
    FilesystemType? Type,
    string? Label,
    string? Uuid,
    ValueList<string> Options,
    int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "mkfs";

    /// <summary>The node that receives the build's root filesystem settings (type, label, mkfs options).</summary>
    public const string RootName = "mkfs_root";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Base];

    /// <summary>Whether this node takes the build's root filesystem settings.</summary>
    public bool IsRoot => string.Equals(Name, RootName, StringComparison.Ordinal);

    /// <summary>
    /// The label the filesystem gets when the build's settings are not involved: <see cref="Label"/>, else the
    /// name; upper-cased on vfat, as diskimage-builder and mkfs.vfat do. Null for the root filesystem without a
    /// label of its own, whose label is the build's.
    /// </summary>
    public string? EffectiveLabel
    {
        get
        {
            var label = Label ?? (IsRoot ? null : LabelFromName(Name));
            return label is not null && Type == FilesystemType.Vfat ? label.ToUpperInvariant() : label;
        }
    }

    /// <summary>
    /// The label a name gives: the name with each run of blanks turned into <c>_</c> (<c>mkfs_Root Part</c> gives
    /// <c>mkfs_Root_Part</c>), because the kernel command line, GRUB's search and fstab's <c>LABEL=</c> find a
    /// filesystem by a label without blanks. diskimage-builder keeps the blanks, and such an image then does not find
    /// its root.
    /// </summary>
    public static string LabelFromName(string name) => string.Join('_', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
