using System.IO.Compression;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// What writing a container image archive takes whatever its format (<see cref="DockerArchive"/>,
/// <see cref="OciImageLayout"/>): the checked options, the tree's one layer staged next to the output, its config,
/// and the archive written through "NAME.partial". Each format says only which documents it adds and in what order.
/// </summary>
internal static class ContainerArchive
{
    private const string LayerTempSuffix = ".layer";

    /// <summary>
    /// Writes the archive to <paramref name="outputPath"/>; the layer is staged next to it and deleted afterwards, also
    /// on failure or cancellation.
    /// </summary>
    /// <param name="layerCompression">The layer's gzip level, or null for an uncompressed layer.</param>
    /// <param name="describe">Given the layer, the serialized config and the platform: the image's digests, and what
    /// to add to the archive (which <see cref="ImageArchiveWriter.Finish"/> then closes).</param>
    /// <exception cref="Diagnostics.DibException">DIB4001 for a missing tree, an unreadable file or an invalid tag or name; DIB1001 for an unknown architecture.</exception>
    public static async Task<ContainerImageDigests> WriteAsync(RootTreeTar treeTar, string tree, string outputPath,
        ContainerImageOptions options, CompressionLevel? layerCompression,
        Func<LayerBlob, byte[], ContainerPlatform, (ContainerImageDigests Digests, Action<ImageArchiveWriter, CancellationToken> Add)> describe,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var platform = options.Validate();
        RootTreeTar.RequireTree(tree);
        var output = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var layerPath = output + LayerTempSuffix + AtomicFile.PartialSuffix;
        try
        {
            var layer = await ContainerLayer.WriteAsync(treeTar, tree, layerPath, layerCompression, options.MtimeClamp, cancellationToken);
            var config = ContainerImageConfig.Serialize(options, platform, layer.DiffId);
            var (digests, add) = describe(layer, config, platform);
            await AtomicFile.WriteAsync(output, (stream, token) =>
            {
                var archive = new ImageArchiveWriter(stream, options.Created);
                add(archive, token);
                archive.Finish();
                return Task.CompletedTask;
            }, cancellationToken);
            return digests;
        }
        finally
        {
            File.Delete(layerPath);
        }
    }
}
