namespace DiskImageBuilder.Outputs;

/// <summary>The media types of the OCI image spec (media-types.md) that an SDK image uses.</summary>
internal static class OciMediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
}
