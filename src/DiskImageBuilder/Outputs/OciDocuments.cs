using System.Text.Json;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The JSON documents of an OCI image layout (OCI image spec image-layout.md, manifest.md, image-index.md) for an
/// image of one layer, written with a fixed member order so the same image gives the same digests.
/// </summary>
internal static class OciDocuments
{
    /// <summary>The oci-layout file's imageLayoutVersion.</summary>
    public const string LayoutVersion = "1.0.0";

    /// <summary>manifest and index schemaVersion: 2, for compatibility with the docker manifest v2 schema 2.</summary>
    private const int SchemaVersion = 2;

    /// <summary>The annotation that names a manifest in an index (annotations.md); skopeo's oci:PATH:NAME looks it up.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static byte[] Layout() => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("imageLayoutVersion", LayoutVersion);
        json.WriteEndObject();
    });

    public static byte[] Manifest(OciDescriptor config, OciDescriptor layer) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("mediaType", OciMediaTypes.ImageManifest);
        json.WritePropertyName("config");
        WriteDescriptor(json, config);
        json.WriteStartArray("layers");
        WriteDescriptor(json, layer);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static byte[] Index(OciDescriptor manifest, ContainerPlatform platform, string tag) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("mediaType", OciMediaTypes.ImageIndex);
        json.WriteStartArray("manifests");
        json.WriteStartObject();
        WriteDescriptorMembers(json, manifest);
        json.WriteStartObject("platform");
        json.WriteString("architecture", platform.Architecture);
        json.WriteString("os", ContainerPlatform.OperatingSystem);
        if (platform.Variant is not null)
            json.WriteString("variant", platform.Variant);
        json.WriteEndObject();
        json.WriteStartObject("annotations");
        json.WriteString(RefNameAnnotation, tag);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteDescriptor(Utf8JsonWriter json, OciDescriptor descriptor)
    {
        json.WriteStartObject();
        WriteDescriptorMembers(json, descriptor);
        json.WriteEndObject();
    }

    private static void WriteDescriptorMembers(Utf8JsonWriter json, OciDescriptor descriptor)
    {
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest);
        json.WriteNumber("size", descriptor.Size);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
            write(json);
        return buffer.ToArray();
    }
}
