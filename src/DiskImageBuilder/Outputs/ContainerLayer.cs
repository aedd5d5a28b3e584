using System.IO.Compression;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes the one layer of an SDK container image, the tree's tar, to a file, gzip-compressed or not, and digests it
/// on the way: the tar streams through the hashes and the compressor to disk, never whole in memory.
/// </summary>
internal static class ContainerLayer
{
    /// <summary>Large writes into the compressor; the tar writer writes 512-byte headers one by one.</summary>
    private const int FileBufferSize = 1024 * 1024;

    public static async Task<LayerBlob> WriteAsync(RootTreeTar treeTar, string tree, string layerPath, CompressionLevel? gzipLevel,
        DateTimeOffset? mtimeClamp, CancellationToken cancellationToken)
    {
        var file = new FileStream(layerPath, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferSize, useAsync: false);
        await using (file)
        {
            var stored = new HashingWriteStream(file);
            await using (stored)
            {
                // Uncompressed, the stored file is the tar, and its digest is the diff_id.
                string? diffId = null;
                if (gzipLevel is { } level)
                {
                    // GZipStream writes a header without file name or time, so the same tar gives the same gzip bytes
                    // with the same zlib.
                    var gzip = new GZipStream(stored, level, leaveOpen: true);
                    await using (gzip)
                    {
                        var uncompressed = new HashingWriteStream(gzip);
                        await using (uncompressed)
                        {
                            await treeTar.WriteAsync(tree, uncompressed, new RootTreeTarOptions(mtimeClamp), cancellationToken);
                            diffId = uncompressed.FinishDigest();
                        }
                    }
                }
                else
                {
                    await treeTar.WriteAsync(tree, stored, new RootTreeTarOptions(mtimeClamp), cancellationToken);
                }
                await file.FlushAsync(cancellationToken);
                var digest = stored.FinishDigest();
                return new LayerBlob(layerPath, diffId ?? digest, digest, stored.BytesWritten);
            }
        }
    }
}
