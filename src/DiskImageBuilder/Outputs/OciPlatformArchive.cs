using System.Buffers;
using System.Formats.Tar;
using System.Text.Json;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// A single-platform OCI archive (what <see cref="OciImageLayout"/> writes) as <see cref="OciImageIndexArchive"/> reads
/// it: the one manifest its index.json names, with that entry's platform and tag, and the blobs the manifest needs, each
/// checked against its descriptor. The archive stays open until disposed, so its blobs are copied straight from it.
/// </summary>
internal sealed class OciPlatformArchive : IDisposable
{
    /// <summary>index.json, manifests and configs are kilobytes; a larger one is not what the SDK wrote.</summary>
    private const int MaxDocumentSize = 4 * 1024 * 1024;

    private const string BlobPrefix = OciImageLayout.Sha256Directory + "/";

    /// <summary>The hex digits of a SHA-256 digest, which also keep a blob's name inside blobs/sha256/.</summary>
    private const int Sha256HexLength = 64;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    private readonly FileStream _stream;
    private readonly TarReader _reader;
    private readonly Dictionary<string, TarEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _documents = new(StringComparer.Ordinal);
    private readonly List<OciDescriptor> _blobs = [];

    private OciPlatformArchive(string targetArch, string path, FileStream stream)
    {
        TargetArch = targetArch;
        Path = path;
        _stream = stream;
        // The entries' data streams stay readable after the reader moves on only because the file is seekable.
        _reader = new TarReader(stream, leaveOpen: true);
    }

    public string TargetArch { get; }

    public string Path { get; }

    /// <summary>The platform of <see cref="TargetArch"/>, which the archive's index.json agrees with.</summary>
    public ContainerPlatform Platform { get; private set; } = null!;

    /// <summary>The image's manifest, as the archive's index.json describes it.</summary>
    public OciDescriptor Manifest { get; private set; } = null!;

    /// <summary>The tag that names the image in the archive (annotation org.opencontainers.image.ref.name).</summary>
    public string Tag { get; private set; } = "";

    /// <summary>The time of the archive's entries, which the image's creation time set.</summary>
    public DateTimeOffset Time { get; private set; }

    /// <summary>Every blob the image needs: its manifest, config and layers.</summary>
    public IReadOnlyList<OciDescriptor> Blobs => _blobs;

    /// <summary>Reads and checks the archive of <paramref name="targetArch"/>.</summary>
    /// <exception cref="DibException">DIB4002 when the archive is missing, unreadable, or not a complete single-platform
    /// image of that architecture; DIB1001 for an unknown architecture.</exception>
    public static OciPlatformArchive Open(string targetArch, string path, CancellationToken cancellationToken)
    {
        var platform = ContainerPlatform.FromTargetArch(targetArch);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Unreadable(targetArch, path, "it does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(targetArch, path, ex.Message, ex);
        }

        var archive = new OciPlatformArchive(targetArch, path, stream);
        try
        {
            archive.Read(platform, cancellationToken);
            return archive;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or JsonException or FormatException or IOException)
        {
            archive.Dispose();
            throw Unreadable(targetArch, path, ex.Message, ex);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>Adds one of <see cref="Blobs"/> to <paramref name="writer"/> as <paramref name="name"/>.</summary>
    public void CopyBlob(string digest, ImageArchiveWriter writer, string name)
    {
        if (_documents.TryGetValue(digest, out var content))
        {
            writer.AddBytes(name, content);
            return;
        }
        if (_entries[digest].DataStream is not { } data)
        {
            writer.AddBytes(name, []);
            return;
        }
        data.Position = 0;
        writer.AddStream(name, data);
    }

    public void Dispose()
    {
        // The reader disposes the data streams it handed out; the file goes last.
        _reader.Dispose();
        _stream.Dispose();
    }

    private void Read(ContainerPlatform platform, CancellationToken cancellationToken)
    {
        byte[]? index = null;
        while (_reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            // Other writers of OCI archives name their members "./index.json".
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (name == OciImageLayout.IndexFile)
            {
                index = ReadAll(entry, "index.json");
                Time = entry.ModificationTime;
            }
            else if (name.StartsWith(BlobPrefix, StringComparison.Ordinal))
            {
                _entries[OciDigest.Sha256Prefix + name[BlobPrefix.Length..]] = entry;
            }
        }
        if (index is null)
            throw Fail("it has no index.json, so it is not an OCI image layout");

        ReadIndex(index, platform);
        var manifest = Document(Manifest, "manifest");
        using var document = JsonDocument.Parse(manifest);
        var config = Descriptor(document.RootElement.TryGetProperty("config", out var configElement) ? configElement : default,
            "the manifest's config");
        Document(config, "config");
        if (!document.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            throw Fail($"its manifest {Manifest.Digest} has no layers");
        _blobs.Add(Manifest);
        _blobs.Add(config);
        foreach (var layer in layers.EnumerateArray())
        {
            var descriptor = Descriptor(layer, "the manifest's layer");
            Entry(descriptor);
            _blobs.Add(descriptor);
        }
    }

    /// <summary>index.json: the one image manifest, its platform (which must be <paramref name="platform"/>) and tag.</summary>
    private void ReadIndex(byte[] index, ContainerPlatform platform)
    {
        using var document = JsonDocument.Parse(index);
        if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            throw Fail("its index.json has no manifests");
        if (manifests.GetArrayLength() != 1)
            throw Fail($"its index.json names {manifests.GetArrayLength()} manifests, where an archive of one architecture names one");
        var entry = manifests[0];
        Manifest = Descriptor(entry, "the manifest in index.json");
        if (Manifest.MediaType != OciMediaTypes.ImageManifest)
            throw Fail($"its index.json names a {Manifest.MediaType}, not an image manifest");

        if (entry.TryGetProperty("platform", out var written))
        {
            var architecture = Text(written, "architecture");
            var variant = Text(written, "variant");
            if (architecture != platform.Architecture || variant != platform.Variant)
                throw Fail($"it holds an image for {Describe(architecture, variant)}, not for {TargetArch} ({Describe(platform.Architecture, platform.Variant)})");
        }
        Platform = platform;

        Tag = entry.TryGetProperty("annotations", out var annotations) && Text(annotations, OciDocuments.RefNameAnnotation) is { Length: > 0 } tag
            ? tag
            : throw Fail($"its index.json gives the image no tag ({OciDocuments.RefNameAnnotation})");
    }

    /// <summary>A small blob (manifest, config), read and checked against its digest.</summary>
    private byte[] Document(OciDescriptor descriptor, string what)
    {
        var content = ReadAll(Entry(descriptor), what);
        if (OciDigest.Of(content) != descriptor.Digest)
            throw Fail($"its {what} blob does not match its digest {descriptor.Digest}");
        _documents[descriptor.Digest] = content;
        return content;
    }

    /// <summary>The blob a descriptor names, which must be there with the size the descriptor gives.</summary>
    private TarEntry Entry(OciDescriptor descriptor)
    {
        if (!_entries.TryGetValue(descriptor.Digest, out var entry))
            throw Fail($"it lacks the blob {descriptor.Digest} that its {descriptor.MediaType} descriptor names");
        if (entry.Length != descriptor.Size)
            throw Fail($"its blob {descriptor.Digest} has {entry.Length} bytes where its descriptor says {descriptor.Size}");
        return entry;
    }

    private OciDescriptor Descriptor(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object
            || Text(element, "mediaType") is not { } mediaType
            || Text(element, "digest") is not { } digest
            || !element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
            throw Fail($"{what} is not a descriptor with mediaType, digest and size");
        // The digest becomes a member name of the new archive: nothing but sha256 and its hex digits may pass.
        if (!digest.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal)
            || digest.Length != OciDigest.Sha256Prefix.Length + Sha256HexLength
            || digest.AsSpan(OciDigest.Sha256Prefix.Length).IndexOfAnyExcept(LowerHexDigits) >= 0)
            throw Fail($"{what} has the digest '{digest}', which is not a SHA-256 digest");
        return new OciDescriptor(mediaType, digest, size);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private byte[] ReadAll(TarEntry entry, string what)
    {
        if (entry.Length > MaxDocumentSize)
            throw Fail($"its {what} has {entry.Length} bytes, far more than the SDK writes");
        if (entry.DataStream is not { } data)
            return [];
        data.Position = 0;
        var content = new byte[entry.Length];
        data.ReadExactly(content);
        return content;
    }

    private static string Describe(string? architecture, string? variant) =>
        $"{ContainerPlatform.OperatingSystem}/{architecture}" + (variant is null ? "" : "/" + variant);

    private DibException Fail(string reason) => Unreadable(TargetArch, Path, reason, null);

    private static DibException Unreadable(string targetArch, string path, string reason, Exception? inner) =>
        new(ErrorCodes.ImageIndexInputUnreadable,
            $"The {targetArch} OCI archive {path} cannot go into the multi-platform image: {reason}. " +
            $"Build again so that the {targetArch} build writes it anew (delete it first if it was changed by hand).",
            path, inner: inner);
}
