using System.Text.Json;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The JSON documents of an OCI image layout (OCI image spec image-layout.md, manifest.md, image-index.md) for an
/// image of one layer, or an image index over such images, written with a fixed member order so the same image gives
/// the same digests.
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

    /// <summary>index.json of a single-platform image: its manifest with the platform, named by the tag.</summary>
    public static byte[] Index(OciDescriptor manifest, ContainerPlatform platform, string tag) => WriteIndex([(manifest, platform)], tag);

    /// <summary>
    /// The image index of a multi-platform image (image-index.md): one manifest per platform, in the order given, so
    /// that the same images give the same digest. It is a blob; index.json names it (<see cref="Index(OciDescriptor, string)"/>).
    /// </summary>
    public static byte[] ImageIndex(IReadOnlyList<(OciDescriptor Manifest, ContainerPlatform Platform)> manifests) =>
        WriteIndex([.. manifests.Select(m => (m.Manifest, (ContainerPlatform?)m.Platform))], tag: null);

    /// <summary>index.json of a multi-platform image: its image index, named by the tag.</summary>
    public static byte[] Index(OciDescriptor imageIndex, string tag) => WriteIndex([(imageIndex, null)], tag);

    private static byte[] WriteIndex(IReadOnlyList<(OciDescriptor Descriptor, ContainerPlatform? Platform)> manifests, string? tag) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("mediaType", OciMediaTypes.ImageIndex);
        json.WriteStartArray("manifests");
        foreach (var (descriptor, platform) in manifests)
        {
            json.WriteStartObject();
            WriteDescriptorMembers(json, descriptor);
            if (platform is not null)
            {
                json.WriteStartObject("platform");
                json.WriteString("architecture", platform.Architecture);
                json.WriteString("os", ContainerPlatform.OperatingSystem);
                if (platform.Variant is not null)
                    json.WriteString("variant", platform.Variant);
                json.WriteEndObject();
            }
            if (tag is not null)
            {
                json.WriteStartObject("annotations");
                json.WriteString(RefNameAnnotation, tag);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
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
