using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Build;

/// <summary>One output file the build writes, known before it runs, so that skipped steps and dotnet clean agree.</summary>
/// <param name="Format">The format's row of <see cref="ImageFormatList"/>.</param>
/// <param name="Path">The output file.</param>
/// <param name="Source">The file it is made from: the raw disk for disk formats, the tree stamp for tree formats.</param>
/// <param name="ChecksumFiles">NAME.FORMAT.sha256 and .md5 as ImageChecksums asks.</param>
public sealed record PlannedOutput(ImageFormat Format, string Path, string Source, IReadOnlyList<string> ChecksumFiles);
