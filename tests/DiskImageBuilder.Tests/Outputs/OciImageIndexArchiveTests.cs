using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// The multi-platform OCI archive of a TargetArchs build, made from single-platform archives that
/// <see cref="OciImageLayout"/> wrote from a one-file tree, read back member by member and with skopeo and podman.
/// </summary>
[TestClass]
public sealed class OciImageIndexArchiveTests
{
    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("dib-oci-index-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    /// <summary>A single-platform archive of a one-file tree; the same <paramref name="content"/> gives the same layer.</summary>
    private async Task<(string Path, ContainerImageDigests Digests)> PlatformArchiveAsync(string targetArch, string content = "hello\n",
        string tag = ContainerTestImages.Tag)
    {
        var tree = Directory.CreateDirectory(Path.Combine(_root, $"tree-{targetArch}-{tag}")).FullName;
        File.WriteAllText(Path.Combine(tree, "hello.txt"), content);
        var path = Path.Combine(_root, targetArch, $"{tag}.oci.tar");
        var digests = await new OciImageLayout(ContainerTestImages.TreeTar())
            .WriteAsync(tree, path, ContainerTestImages.Options(targetArch) with { Tag = tag }, TestContext.CancellationToken);
        return (path, digests);
    }

    private async Task<string> WriteAsync(params (string TargetArch, string Path)[] images)
    {
        var output = Path.Combine(_root, "multi.oci.tar");
        await OciImageIndexArchive.WriteAsync(images, output, TestContext.CancellationToken);
        return output;
    }

    /// <summary>Every member of the archive by name; a name twice fails the test.</summary>
    private static Dictionary<string, byte[]> Members(string archive)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            Assert.IsTrue(members.TryAdd(entry.Name, content.ToArray()), $"{entry.Name} is in the archive twice");
        }
        return members;
    }

    /// <summary>The blob a digest names, checked against the digest.</summary>
    private static byte[] Blob(Dictionary<string, byte[]> members, string digest)
    {
        var hex = digest["sha256:".Length..];
        Assert.IsTrue(members.TryGetValue($"blobs/sha256/{hex}", out var blob), $"no blob for {digest}");
        Assert.AreEqual(hex, Convert.ToHexStringLower(SHA256.HashData(blob)), $"the blob of {digest} matches its digest");
        return blob;
    }

    private static JsonElement Json(byte[] content) => JsonDocument.Parse(content).RootElement;

    private static JsonElement Skopeo(params string[] arguments) => JsonDocument.Parse(HostTool.Run("skopeo", "skopeo", arguments)).RootElement;

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_TwoArchitectures_IndexJsonNamesAnImageIndexWithEachPlatformInTheGivenOrder()
    {
        var arm64 = await PlatformArchiveAsync("arm64");
        var amd64 = await PlatformArchiveAsync("amd64");

        var members = Members(await WriteAsync(("arm64", arm64.Path), ("amd64", amd64.Path)));

        Assert.AreEqual("""{"imageLayoutVersion":"1.0.0"}""", Encoding.UTF8.GetString(members["oci-layout"]));
        var top = Json(members["index.json"]).GetProperty("manifests");
        Assert.AreEqual(1, top.GetArrayLength(), "index.json names one thing: the image index");
        Assert.AreEqual("application/vnd.oci.image.index.v1+json", top[0].GetProperty("mediaType").GetString());
        Assert.AreEqual(ContainerTestImages.Tag, top[0].GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        var indexBlob = Blob(members, top[0].GetProperty("digest").GetString()!);
        Assert.AreEqual(indexBlob.Length, top[0].GetProperty("size").GetInt64());

        var index = Json(indexBlob);
        Assert.AreEqual("application/vnd.oci.image.index.v1+json", index.GetProperty("mediaType").GetString());
        var manifests = index.GetProperty("manifests").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "arm64", "amd64" }, manifests.Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { "v8", null }, manifests.Select(m => m.GetProperty("platform").TryGetProperty("variant", out var v) ? v.GetString() : null).ToArray());
        Assert.IsTrue(manifests.All(m => m.GetProperty("platform").GetProperty("os").GetString() == "linux"));
        CollectionAssert.AreEqual(new[] { arm64.Digests.ManifestDigest, amd64.Digests.ManifestDigest },
            manifests.Select(m => m.GetProperty("digest").GetString()).ToArray());
        foreach (var entry in manifests)
        {
            var manifest = Json(Blob(members, entry.GetProperty("digest").GetString()!));
            var config = Json(Blob(members, manifest.GetProperty("config").GetProperty("digest").GetString()!));
            Assert.AreEqual(entry.GetProperty("platform").GetProperty("architecture").GetString(), config.GetProperty("architecture").GetString());
            foreach (var layer in manifest.GetProperty("layers").EnumerateArray())
                Blob(members, layer.GetProperty("digest").GetString()!);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SameTreeForTwoArchitectures_HoldsTheSharedLayerOnce()
    {
        var amd64 = await PlatformArchiveAsync("amd64");
        var i386 = await PlatformArchiveAsync("i386");
        Assert.AreEqual(amd64.Digests.LayerDigest, i386.Digests.LayerDigest, "one tree gives one layer");

        var members = Members(await WriteAsync(("amd64", amd64.Path), ("i386", i386.Path)));

        // The image index, two manifests, two configs (their architectures differ) and the one layer.
        var blobs = members.Keys.Where(n => n.StartsWith("blobs/sha256/", StringComparison.Ordinal) && !n.EndsWith('/')).ToList();
        Assert.HasCount(6, blobs);
        Blob(members, amd64.Digests.LayerDigest);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SameArchivesTwice_GivesIdenticalBytes()
    {
        var amd64 = await PlatformArchiveAsync("amd64");
        var arm64 = await PlatformArchiveAsync("arm64", "other\n");

        var first = File.ReadAllBytes(await WriteAsync(("amd64", amd64.Path), ("arm64", arm64.Path)));
        var second = File.ReadAllBytes(await WriteAsync(("amd64", amd64.Path), ("arm64", arm64.Path)));

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_TwoArchitectures_SkopeoListsBothPlatformsAndPicksEach()
    {
        var amd64 = await PlatformArchiveAsync("amd64");
        var arm64 = await PlatformArchiveAsync("arm64", "other\n");
        var output = await WriteAsync(("amd64", amd64.Path), ("arm64", arm64.Path));

        var raw = Skopeo("inspect", "--raw", $"oci-archive:{output}");
        var picked = Skopeo("--override-arch", "arm64", "--override-variant", "v8", "inspect", $"oci-archive:{output}:{ContainerTestImages.Tag}");

        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64/v8" }, raw.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform"))
            .Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}" +
                (p.TryGetProperty("variant", out var v) ? "/" + v.GetString() : ""))
            .ToArray());
        // skopeo names the image by the index's digest and shows the platform it picked from it.
        Assert.AreEqual(Json(Members(output)["index.json"]).GetProperty("manifests")[0].GetProperty("digest").GetString(),
            picked.GetProperty("Digest").GetString());
        Assert.AreEqual("arm64", picked.GetProperty("Architecture").GetString());
        CollectionAssert.AreEqual(new[] { arm64.Digests.LayerDigest }, picked.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToArray());
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_TwoArchitectures_PodmanLoadsTheHostPlatform()
    {
        using var podman = new PodmanStore();
        var amd64 = await PlatformArchiveAsync("amd64");
        var i386 = await PlatformArchiveAsync("i386");
        var output = await WriteAsync(("i386", i386.Path), ("amd64", amd64.Path));

        podman.Run("load", "-i", output);
        var image = JsonDocument.Parse(podman.Run("image", "inspect", OciDigest.Hex(amd64.Digests.ImageId))).RootElement[0];

        Assert.AreEqual("amd64", image.GetProperty("Architecture").GetString());
    }

    [TestMethod]
    public async Task Write_MissingArchive_FailsWithDib4002NamingItAndWritesNothing()
    {
        var missing = Path.Combine(_root, "i386", "multi.oci.tar");

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(("i386", missing)));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, missing);
        StringAssert.Contains(error.Message, "does not exist");
        Assert.IsEmpty(Directory.GetFileSystemEntries(_root));
    }

    [TestMethod]
    public async Task Write_ArchiveThatIsNotATar_FailsWithDib4002()
    {
        var garbage = Path.Combine(_root, "amd64.oci.tar");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 1))]);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(("amd64", garbage)));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, garbage);
        Assert.IsFalse(File.Exists(Path.Combine(_root, "multi.oci.tar")));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_ArchiveOfAnotherArchitecture_FailsWithDib4002NamingBoth()
    {
        var amd64 = await PlatformArchiveAsync("amd64");

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(("amd64", amd64.Path), ("arm64", amd64.Path)));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, "linux/amd64, not for arm64 (linux/arm64/v8)");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_ArchiveLackingItsLayer_FailsWithDib4002NamingTheBlob()
    {
        var amd64 = await PlatformArchiveAsync("amd64");
        var stripped = Path.Combine(_root, "stripped.oci.tar");
        var layer = $"blobs/sha256/{OciDigest.Hex(amd64.Digests.LayerDigest)}";
        using (var reader = new TarReader(File.OpenRead(amd64.Path)))
        using (var writer = new TarWriter(File.Create(stripped)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.Name != layer)
                    writer.WriteEntry(entry);
            }
        }

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(("amd64", stripped)));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, $"lacks the blob {amd64.Digests.LayerDigest}");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_ArchivesWithDifferentTags_FailsWithDib4002NamingEachTag()
    {
        var amd64 = await PlatformArchiveAsync("amd64", tag: "one");
        var i386 = await PlatformArchiveAsync("i386", tag: "two");

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(("amd64", amd64.Path), ("i386", i386.Path)));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, "amd64: 'one', i386: 'two'");
    }
}
