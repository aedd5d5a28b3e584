using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a multi-platform container image: the single-platform OCI archives of a TargetArchs build combined into one
/// OCI archive, whose index.json names (by the images' common tag) one image index blob that lists each platform's
/// manifest with its platform, and whose blobs/sha256/ holds every blob once.
/// </summary>
/// <remarks>
/// index.json names the image index rather than listing the manifests itself, as docker buildx and the .NET SDK's
/// multi-RID archives do: the tag then names one thing, so <c>skopeo inspect oci-archive:PATH</c> (which refuses an
/// index.json of several entries without a tag) shows the index, copying <c>oci-archive:PATH:TAG</c> picks the
/// host's platform, and <c>--all</c> copies the index with every platform.
/// </remarks>
public static class OciImageIndexArchive
{
    /// <summary>
    /// Writes the archive to <paramref name="outputPath"/> through "<paramref name="outputPath"/>.partial", with the
    /// platforms in the order of <paramref name="images"/>; returns the image index's digest.
    /// </summary>
    /// <param name="images">Each architecture (a TargetArch name) and its single-platform OCI archive.</param>
    /// <exception cref="DibException">DIB4002 when an archive is missing, unreadable or not a complete single-platform
    /// image of its architecture, or the archives name different tags; DIB1006 for one platform twice; DIB1001 for an
    /// unknown architecture.</exception>
    public static async Task<string> WriteAsync(IReadOnlyList<(string TargetArch, string Path)> images, string outputPath,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(images.Count);
        var output = System.IO.Path.GetFullPath(outputPath);
        var archives = new List<OciPlatformArchive>();
        try
        {
            foreach (var (targetArch, path) in images)
                archives.Add(OciPlatformArchive.Open(targetArch, path, cancellationToken));
            RequireOneImagePerPlatform(archives);
            var tag = CommonTag(archives);

            var imageIndex = OciDocuments.ImageIndex([.. archives.Select(a => (a.Manifest, a.Platform))]);
            var indexDescriptor = new OciDescriptor(OciMediaTypes.ImageIndex, OciDigest.Of(imageIndex), imageIndex.Length);
            // Each blob once, in digest order as in a single-platform archive; the first archive that holds a shared blob
            // (a config or layer two architectures have in common) gives it.
            var blobs = new SortedDictionary<string, Action<ImageArchiveWriter, string>>(StringComparer.Ordinal)
            {
                [indexDescriptor.Digest] = (archive, name) => archive.AddBytes(name, imageIndex),
            };
            foreach (var source in archives)
            {
                foreach (var blob in source.Blobs)
                    blobs.TryAdd(blob.Digest, (archive, name) => source.CopyBlob(blob.Digest, archive, name));
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(output)!);
            await AtomicFile.WriteAsync(output, (stream, token) =>
            {
                var archive = new ImageArchiveWriter(stream, archives[0].Time);
                archive.AddBytes(OciImageLayout.LayoutFile, OciDocuments.Layout());
                archive.AddBytes(OciImageLayout.IndexFile, OciDocuments.Index(indexDescriptor, tag));
                archive.AddDirectory(OciImageLayout.BlobsDirectory);
                archive.AddDirectory(OciImageLayout.Sha256Directory);
                foreach (var (digest, add) in blobs)
                {
                    token.ThrowIfCancellationRequested();
                    add(archive, $"{OciImageLayout.Sha256Directory}/{OciDigest.Hex(digest)}");
                }
                archive.Finish();
                return Task.CompletedTask;
            }, cancellationToken);
            return indexDescriptor.Digest;
        }
        finally
        {
            foreach (var archive in archives)
                archive.Dispose();
        }
    }

    /// <summary>A reader picks an image by platform, so two images of one platform would make one of them unreachable.</summary>
    private static void RequireOneImagePerPlatform(IReadOnlyList<OciPlatformArchive> archives)
    {
        if (archives.GroupBy(a => a.Platform).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DibException(ErrorCodes.DuplicateTargetArch,
                $"The architectures {string.Join(" and ", twice.Select(a => a.TargetArch))} are one platform " +
                $"({ContainerPlatform.OperatingSystem}/{twice.Key.Architecture}); a multi-platform image holds each platform once. Name it once in TargetArchs.");
    }

    /// <summary>index.json names the image index by one tag, which every architecture's archive must share.</summary>
    private static string CommonTag(IReadOnlyList<OciPlatformArchive> archives)
    {
        if (archives.Select(a => a.Tag).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new DibException(ErrorCodes.ImageIndexInputUnreadable,
                $"The OCI archives of the architectures name different tags ({string.Join(", ", archives.Select(a => $"{a.TargetArch}: '{a.Tag}'"))}), " +
                "but one multi-platform image has one tag. Give every architecture the same ContainerTag and build again.");
        return archives[0].Tag;
    }
}
