namespace DiskImageBuilder.Outputs;

/// <summary>A layer written to a file: its diff_id (digest of the tar) and the digest and size of the file as stored.</summary>
/// <param name="DiffId">sha256 of the uncompressed tar (config.md, rootfs.diff_ids).</param>
/// <param name="Digest">sha256 of <paramref name="Path"/>; equal to <paramref name="DiffId"/> when not compressed.</param>
internal sealed record LayerBlob(string Path, string DiffId, string Digest, long Size);
