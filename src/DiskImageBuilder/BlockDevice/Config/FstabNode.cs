namespace DiskImageBuilder.BlockDevice.Config;

/// <summary><c>fstab</c>: the <c>/etc/fstab</c> line of a mount.</summary>
/// <param name="Name">The node's name; <c>fstab_BASE</c> when the YAML gives none.</param>
/// <param name="Base">The <see cref="MountNode"/>.</param>
/// <param name="Options">The fourth fstab field; <see cref="DefaultOptions"/> when the YAML gives none.</param>
/// <param name="DumpFreq">The fifth field (<c>dump-freq</c>); 0 by default.</param>
/// <param name="FsckPassno">The sixth field (<c>fsck-passno</c>); 2 by default, 1 is meant for the root.</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record FstabNode(string Name, string Base, string Options, int DumpFreq, int FsckPassno, int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "fstab";

    /// <summary>The options when none are given.</summary>
    public const string DefaultOptions = "defaults";

    /// <summary>The dump frequency when none is given: not dumped.</summary>
    public const int DefaultDumpFreq = 0;

    /// <summary>The fsck pass when none is given: after the root.</summary>
    public const int DefaultFsckPassno = 2;

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [Base];
}
