namespace DiskImageBuilder.Outputs;

/// <summary>How <see cref="RootTreeTar"/> writes a tree.</summary>
/// <param name="MtimeClamp">
/// When set, every modification time later than this is written as this (tar's --clamp-mtime with SOURCE_DATE_EPOCH),
/// so two builds of the same tree give the same archive bytes. Earlier times are kept.
/// </param>
public sealed record RootTreeTarOptions(DateTimeOffset? MtimeClamp = null)
{
    /// <summary>Times as they are in the tree.</summary>
    public static RootTreeTarOptions Default { get; } = new();
}
