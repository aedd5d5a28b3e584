namespace DiskImageBuilder.Outputs;

/// <summary>A content descriptor (OCI image spec, descriptor.md): what a blob is, its digest and its size in bytes.</summary>
internal sealed record OciDescriptor(string MediaType, string Digest, long Size);
