namespace DiskImageBuilder.Phases;

/// <summary>Why dib-run-parts leaves a file in a phase directory alone.</summary>
public enum RunPartsSkipReason
{
    /// <summary>The name has a character outside <c>[0-9A-Za-z_-]</c>, e.g. the dot in <c>10-foo.sh</c>.</summary>
    InvalidName,

    /// <summary>The entry is not a regular file after following links: a directory or a dangling link.</summary>
    NotRegularFile,

    /// <summary>The file has no execute permission.</summary>
    NotExecutable,
}
