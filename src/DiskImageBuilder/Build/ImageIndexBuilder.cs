using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Build;

/// <summary>
/// What the outer build of TargetArchs writes across architectures: the multi-platform OCI archive
/// (<see cref="OciImageIndexArchive"/>) over the architectures' own, its checksum files, and a record of its size and
/// SHA-256 in the outer build's work folder, so a build that skips writing it still describes it.
/// </summary>
/// <param name="work">The outer build's work folder (obj/&lt;Configuration&gt;/dib/).</param>
public sealed class ImageIndexBuilder(WorkFolder work, IBuildLog log)
{
    /// <summary>
    /// Writes <paramref name="outputPath"/> with one platform per architecture, in the order of
    /// <paramref name="targetArchs"/>, and the checksum files <paramref name="checksumAlgorithms"/> ask for.
    /// </summary>
    /// <param name="targetArchs">The architectures, by canonical name, in TargetArchs order.</param>
    /// <param name="archives">Each architecture's single-platform OCI archive, by canonical name.</param>
    /// <exception cref="DibException">DIB4002 when an architecture has no archive, or its archive cannot be read.</exception>
    public async Task WriteAsync(IReadOnlyList<string> targetArchs, IReadOnlyDictionary<string, string> archives, string outputPath,
        IReadOnlyList<string> checksumAlgorithms, CancellationToken cancellationToken)
    {
        var missing = targetArchs.Where(a => !archives.ContainsKey(a)).ToList();
        if (missing.Count > 0)
            throw new DibException(ErrorCodes.ImageIndexInputUnreadable,
                $"The multi-platform OCI archive {outputPath} needs the OCI archive of every architecture, but the build of " +
                $"{string.Join(" and ", missing)} returned none. Keep oci in ImageFormats for every architecture.");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var indexDigest = await OciImageIndexArchive.WriteAsync([.. targetArchs.Select(a => (a, archives[a]))], outputPath, cancellationToken);
        var digests = await Checksums.WriteAsync(outputPath, checksumAlgorithms, cancellationToken);
        var size = new FileInfo(outputPath).Length;
        new OutputRecord(outputPath, "oci", size, digests["sha256"], File.GetLastWriteTimeUtc(outputPath)).Save(work.OutputRecords);
        log.Progress($"oci ({string.Join(' ', targetArchs)}): {outputPath} ({size / (1024.0 * 1024):F1} MiB, image index {indexDigest}) " +
            $"in {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Size and SHA-256 of the archive when it exists.</summary>
    public Task<(long Size, string Sha256)?> DescribeAsync(string outputPath, CancellationToken cancellationToken) =>
        OutputRecord.DescribeAsync(work.OutputRecords, outputPath, cancellationToken);
}
