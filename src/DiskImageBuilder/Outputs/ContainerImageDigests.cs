namespace DiskImageBuilder.Outputs;

/// <summary>The identities of a container image written to an archive, for build outputs and logs.</summary>
/// <param name="ImageId">The config's digest: what docker and podman show as the image ID.</param>
/// <param name="LayerDiffId">The digest of the uncompressed layer tar (rootfs.diff_ids).</param>
/// <param name="LayerDigest">The digest of the layer as stored: gzip in an OCI archive, the tar itself in a docker archive.</param>
/// <param name="ManifestDigest">The OCI manifest's digest (what a registry reports after a push); null for docker-archive, which has no manifest blob.</param>
public sealed record ContainerImageDigests(string ImageId, string LayerDiffId, string LayerDigest, long LayerSize, string? ManifestDigest);
