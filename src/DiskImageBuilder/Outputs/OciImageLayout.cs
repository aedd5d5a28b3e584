namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a container image of a root tree as an OCI image-layout archive (OCI image spec image-layout.md, as a tar:
/// what skopeo calls oci-archive and "podman load" reads): oci-layout, index.json naming the image by its tag, and
/// blobs/sha256/ with the manifest, the config and one gzip layer.
/// </summary>
public sealed class OciImageLayout(RootTreeTar treeTar)
{
    internal const string BlobsDirectory = "blobs";
    internal const string Sha256Directory = "blobs/sha256";
    internal const string IndexFile = "index.json";
    internal const string LayoutFile = "oci-layout";

    /// <summary>
    /// Writes the archive to <paramref name="outputPath"/> through "<paramref name="outputPath"/>.partial"; the gzip layer
    /// is staged next to it and deleted afterwards, also on failure or cancellation.
    /// </summary>
    /// <exception cref="Diagnostics.DibException">DIB4001 for a missing tree, an unreadable file or an invalid tag or name; DIB1001 for an unknown architecture.</exception>
    public Task<ContainerImageDigests> WriteAsync(string tree, string outputPath, ContainerImageOptions options, CancellationToken cancellationToken) =>
        ContainerArchive.WriteAsync(treeTar, tree, outputPath, options, options?.LayerCompression, (layer, config, platform) =>
        {
            var configDescriptor = new OciDescriptor(OciMediaTypes.ImageConfig, OciDigest.Of(config), config.Length);
            var layerDescriptor = new OciDescriptor(OciMediaTypes.GzipLayer, layer.Digest, layer.Size);
            var manifest = OciDocuments.Manifest(configDescriptor, layerDescriptor);
            var manifestDescriptor = new OciDescriptor(OciMediaTypes.ImageManifest, OciDigest.Of(manifest), manifest.Length);
            var index = OciDocuments.Index(manifestDescriptor, platform, options!.Tag);
            return (new ContainerImageDigests(configDescriptor.Digest, layer.DiffId, layer.Digest, layer.Size, manifestDescriptor.Digest), (archive, token) =>
            {
                archive.AddBytes(LayoutFile, OciDocuments.Layout());
                archive.AddBytes(IndexFile, index);
                archive.AddDirectory(BlobsDirectory);
                archive.AddDirectory(Sha256Directory);
                // Blobs in digest order, so the archive's layout does not depend on which blob is which.
                var blobs = new (string Digest, Action<string> Add)[]
                {
                    (configDescriptor.Digest, name => archive.AddBytes(name, config)),
                    (manifestDescriptor.Digest, name => archive.AddBytes(name, manifest)),
                    (layer.Digest, name => archive.AddFile(name, layer.Path)),
                };
                foreach (var (digest, add) in blobs.OrderBy(b => b.Digest, StringComparer.Ordinal))
                {
                    token.ThrowIfCancellationRequested();
                    add($"{Sha256Directory}/{OciDigest.Hex(digest)}");
                }
            });
        }, cancellationToken);
}
