using System.Text.Json;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes a container image of a root tree as a docker-archive, the tarball "docker save" writes and "docker load"
/// and "podman load" read: manifest.json naming the config, the tag and the layer, the config as "ID.json", and the
/// layer as an uncompressed "DIFFID/layer.tar", as docker save stores it. The legacy per-layer "json" and "VERSION"
/// files and the "repositories" file are left out: docker reads them only from archives without manifest.json
/// (before docker 1.10), and podman never does.
/// </summary>
public sealed class DockerArchive(RootTreeTar treeTar)
{
    private const string ManifestFile = "manifest.json";
    private const string ConfigSuffix = ".json";
    private const string LayerFile = "layer.tar";

    /// <summary>
    /// Writes the archive to <paramref name="outputPath"/> through "<paramref name="outputPath"/>.partial"; the layer is
    /// staged next to it and deleted afterwards, also on failure or cancellation.
    /// </summary>
    /// <exception cref="Diagnostics.DibException">DIB4001 for a missing tree, an unreadable file or an invalid tag or name; DIB1001 for an unknown architecture.</exception>
    public Task<ContainerImageDigests> WriteAsync(string tree, string outputPath, ContainerImageOptions options, CancellationToken cancellationToken) =>
        // Uncompressed, as docker save writes it and every docker-archive reader expects. podman load 4.3 (tried)
        // also takes a gzip layer.tar, but tools that read the archive themselves may not, and podman 4.3 does not
        // load a gzip-compressed archive as a whole; the OCI archive is the compressed format.
        ContainerArchive.WriteAsync(treeTar, tree, outputPath, options, layerCompression: null, (layer, config, _) =>
        {
            var imageId = OciDigest.Of(config);
            var configName = OciDigest.Hex(imageId) + ConfigSuffix;
            var layerDirectory = OciDigest.Hex(layer.DiffId);
            var layerName = $"{layerDirectory}/{LayerFile}";
            var manifest = Manifest(configName, options.Reference, layerName);
            return (new ContainerImageDigests(imageId, layer.DiffId, layer.Digest, layer.Size, ManifestDigest: null), (archive, token) =>
            {
                archive.AddBytes(ManifestFile, manifest);
                archive.AddBytes(configName, config);
                archive.AddDirectory(layerDirectory);
                token.ThrowIfCancellationRequested();
                archive.AddFile(layerName, layer.Path);
            });
        }, cancellationToken);

    /// <summary>manifest.json: one image, [{"Config": NAME, "RepoTags": [REF], "Layers": [NAME]}].</summary>
    private static byte[] Manifest(string configName, string reference, string layerName)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("Config", configName);
            json.WriteStartArray("RepoTags");
            json.WriteStringValue(reference);
            json.WriteEndArray();
            json.WriteStartArray("Layers");
            json.WriteStringValue(layerName);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }
}
