namespace DiskImageBuilder.BlockDevice.Config;

/// <summary><c>mount</c>: where a filesystem is mounted in the image (and, with an fstab node, at boot).</summary>
/// <param name="Name">The node's name; <c>mount_BASE</c> when the YAML gives none.</param>
/// <param name="Base">The <see cref="MkfsNode"/>.</param>
/// <param name="MountPoint">An absolute path without a trailing slash, or <c>none</c> for swap.</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record MountNode(string Name, string Base, string MountPoint, int SourceLine) : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "mount";

    /// <summary>The mount point swap writes, since it is activated, not mounted.</summary>
    public const string NoMountPoint = "none";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Base];
}
