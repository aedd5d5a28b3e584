using System.Text.Json;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class OciImageLayoutTests
{
    public TestContext TestContext { get; set; } = null!;

    private async Task<(string Path, ContainerImageDigests Digests)> WriteAsync(string tree, string directory, ContainerImageOptions options,
        string name = "image.oci.tar", RecordingBuildLog? log = null, CancellationToken? cancellationToken = null)
    {
        var path = Path.Combine(directory, name);
        var digests = await new OciImageLayout(ContainerTestImages.TreeTar(log))
            .WriteAsync(tree, path, options, cancellationToken ?? TestContext.CancellationToken);
        return (path, digests);
    }

    private static JsonElement Skopeo(params string[] arguments) => JsonDocument.Parse(HostTool.Run("skopeo", "skopeo", arguments)).RootElement;

    /// <summary>A tree of one file, for tests about the image rather than the tree; no root needed to make it.</summary>
    private static string TinyTree(string root)
    {
        var tree = Directory.CreateDirectory(Path.Combine(root, "tiny")).FullName;
        File.WriteAllText(Path.Combine(tree, "hello.txt"), "hello\n");
        return tree;
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_SkopeoInspectReportsPlatformLabelsAndDigests()
    {
        using var sample = new SampleRootTree();
        var (path, digests) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options());

        var image = Skopeo("inspect", $"oci-archive:{path}:{ContainerTestImages.Tag}");
        var config = Skopeo("inspect", "--config", $"oci-archive:{path}:{ContainerTestImages.Tag}");

        Assert.AreEqual("amd64", image.GetProperty("Architecture").GetString());
        Assert.AreEqual("linux", image.GetProperty("Os").GetString());
        Assert.AreEqual(digests.ManifestDigest, image.GetProperty("Digest").GetString());
        CollectionAssert.AreEqual(new[] { digests.LayerDigest }, image.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToArray());
        foreach (var (label, value) in ContainerTestImages.Labels)
            Assert.AreEqual(value, image.GetProperty("Labels").GetProperty(label).GetString());
        CollectionAssert.AreEqual(new[] { digests.LayerDiffId },
            config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "echo hi" },
            config.GetProperty("config").GetProperty("Cmd").EnumerateArray().Select(c => c.GetString()).ToArray());
        CollectionAssert.AreEqual(ContainerImageOptions.DefaultEnv.ToArray(),
            config.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.AreEqual(ContainerTestImages.Created, config.GetProperty("created").GetDateTimeOffset());
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_UmociUnpacksTheSameTree()
    {
        using var sample = new SampleRootTree();
        var (path, _) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options());
        var layout = sample.NewDirectory("layout");
        var bundle = Path.Combine(sample.Root, "bundle");

        HostTool.Run("tar", "tar", "-xf", path, "-C", layout);
        HostTool.Run("umoci", "umoci", "unpack", "--image", $"{layout}:{ContainerTestImages.Tag}", bundle);

        var rootfs = Path.Combine(bundle, "rootfs");
        // The test images clamp times to their creation time.
        TreeSnapshot.AssertSame(TreeSnapshot.ArchivableEntries(sample.Tree, ContainerTestImages.Created), TreeSnapshot.Entries(rootfs),
            "The tree unpacked by umoci");
        Assert.AreEqual(TreeSnapshot.Xattrs(sample.Tree), TreeSnapshot.Xattrs(rootfs));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    [DataRow("amd64", "amd64", null)]
    [DataRow("x86_64", "amd64", null)]
    [DataRow("arm64", "arm64", "v8")]
    [DataRow("i386", "386", null)]
    [DataRow("ppc64el", "ppc64le", null)]
    public async Task Write_TargetArch_ConfigNamesTheGoArchitecture(string targetArch, string architecture, string? variant)
    {
        var root = Directory.CreateTempSubdirectory("dib-oci-arch-").FullName;
        try
        {
            var (path, _) = await WriteAsync(TinyTree(root), root, ContainerTestImages.Options(targetArch));

            var config = Skopeo("inspect", "--config", $"oci-archive:{path}:{ContainerTestImages.Tag}");

            Assert.AreEqual(architecture, config.GetProperty("architecture").GetString());
            Assert.AreEqual("linux", config.GetProperty("os").GetString());
            Assert.AreEqual(variant, config.TryGetProperty("variant", out var v) ? v.GetString() : null);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SameTreeTwice_GivesIdenticalArchives()
    {
        using var sample = new SampleRootTree();

        var first = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options(), "first.oci.tar");
        var second = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options(), "second.oci.tar");

        Assert.AreEqual(first.Digests, second.Digests);
        CollectionAssert.AreEqual(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
    }

    [TestMethod]
    public async Task Write_MissingTree_FailsWithDib4001AndWritesNothing()
    {
        var root = Directory.CreateTempSubdirectory("dib-oci-missing-").FullName;
        try
        {
            var missing = Path.Combine(root, "no-tree");

            var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteAsync(missing, root, ContainerTestImages.Options()));

            Assert.AreEqual(ErrorCodes.ConversionFailed, error.Code);
            StringAssert.Contains(error.Message, missing);
            Assert.IsEmpty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public async Task Write_InvalidTag_FailsWithDib4001NamingTheTag()
    {
        var root = Directory.CreateTempSubdirectory("dib-oci-tag-").FullName;
        try
        {
            var error = await Assert.ThrowsExactlyAsync<DibException>(() =>
                WriteAsync(TinyTree(root), root, ContainerTestImages.Options() with { Tag = "-bad:tag" }));

            Assert.AreEqual(ErrorCodes.ConversionFailed, error.Code);
            StringAssert.Contains(error.Message, "'-bad:tag'");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_CancelledWhileReadingTheTree_KeepsThePreviousOutputAndLeavesNoTemporaryFiles()
    {
        using var sample = new SampleRootTree();
        var output = sample.NewDirectory("out");
        var (path, _) = await WriteAsync(sample.Tree, output, ContainerTestImages.Options());
        var previous = File.ReadAllBytes(path);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        // By the time the xattrs are read, the layer file has been created: cancelling then must remove it.
        var log = new RecordingBuildLog
        {
            OnDetail = line =>
            {
                if (line.StartsWith("Running: ", StringComparison.Ordinal) && line.Contains("getfattr", StringComparison.Ordinal))
                    cancellation.Cancel();
            },
        };

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            WriteAsync(sample.Tree, output, ContainerTestImages.Options() with { Tag = "other" }, log: log, cancellationToken: cancellation.Token));

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFileSystemEntries(output));
        CollectionAssert.AreEqual(previous, File.ReadAllBytes(path));
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_PodmanLoadsTheArchive()
    {
        using var sample = new SampleRootTree();
        using var podman = new PodmanStore();
        var (path, digests) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options());

        podman.Run("load", "-i", path);
        var image = JsonDocument.Parse(podman.Run("image", "inspect", OciDigest.Hex(digests.ImageId))).RootElement[0];

        Assert.AreEqual("amd64", image.GetProperty("Architecture").GetString());
        Assert.AreEqual(OciDigest.Hex(digests.ImageId), image.GetProperty("Id").GetString());
    }
}
