using System.Security.Cryptography;

namespace DiskImageBuilder.Outputs;

/// <summary>Content digests as the OCI image spec writes them ("Digests": algorithm, colon, lowercase hex).</summary>
internal static class OciDigest
{
    public const string Sha256Prefix = "sha256:";

    public static string Format(ReadOnlySpan<byte> sha256) => Sha256Prefix + Convert.ToHexStringLower(sha256);

    public static string Of(ReadOnlySpan<byte> content) => Format(SHA256.HashData(content));

    /// <summary>The hex part, which names the blob file (blobs/sha256/HEX) and docker-archive members.</summary>
    public static string Hex(string digest) => digest[Sha256Prefix.Length..];
}
