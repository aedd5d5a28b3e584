using System.Text.Json;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class DockerArchiveTests
{
    public TestContext TestContext { get; set; } = null!;

    private async Task<(string Path, ContainerImageDigests Digests)> WriteAsync(string tree, string directory, ContainerImageOptions options,
        string name = "image.docker.tar")
    {
        var path = Path.Combine(directory, name);
        var digests = await new DockerArchive(ContainerTestImages.TreeTar()).WriteAsync(tree, path, options, TestContext.CancellationToken);
        return (path, digests);
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_PodmanLoadsItWithArchitectureLabelsAndTag()
    {
        using var sample = new SampleRootTree();
        using var podman = new PodmanStore();
        var (path, digests) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options());

        podman.Run("load", "-i", path);
        var image = JsonDocument.Parse(podman.Run("image", "inspect", ContainerTestImages.Options().Reference)).RootElement[0];

        Assert.AreEqual(OciDigest.Hex(digests.ImageId), image.GetProperty("Id").GetString());
        Assert.AreEqual("amd64", image.GetProperty("Architecture").GetString());
        Assert.AreEqual("linux", image.GetProperty("Os").GetString());
        foreach (var (label, value) in ContainerTestImages.Labels)
            Assert.AreEqual(value, image.GetProperty("Labels").GetProperty(label).GetString());
        var tags = image.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.IsTrue(tags.Any(t => t.EndsWith("/" + ContainerTestImages.Options().Reference, StringComparison.Ordinal)),
            $"podman lists the tags {string.Join(", ", tags)}.");
        CollectionAssert.AreEqual(new[] { digests.LayerDiffId },
            image.GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToArray());
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_SkopeoInspectReportsPlatformAndLabels()
    {
        using var sample = new SampleRootTree();
        var (path, digests) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options("arm64"));

        var image = JsonDocument.Parse(HostTool.Run("skopeo", "skopeo", "inspect", $"docker-archive:{path}")).RootElement;
        var config = JsonDocument.Parse(HostTool.Run("skopeo", "skopeo", "inspect", "--config", $"docker-archive:{path}")).RootElement;

        Assert.AreEqual("arm64", image.GetProperty("Architecture").GetString());
        Assert.AreEqual("linux", image.GetProperty("Os").GetString());
        Assert.AreEqual("v8", config.GetProperty("variant").GetString());
        foreach (var (label, value) in ContainerTestImages.Labels)
            Assert.AreEqual(value, image.GetProperty("Labels").GetProperty(label).GetString());
        CollectionAssert.AreEqual(new[] { digests.LayerDiffId },
            config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToArray());
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_PodmanStoresTheSameTree()
    {
        using var sample = new SampleRootTree();
        using var podman = new PodmanStore();
        var (path, _) = await WriteAsync(sample.Tree, sample.Root, ContainerTestImages.Options());
        var reference = ContainerTestImages.Options().Reference;

        podman.Run("load", "-i", path);
        // With the vfs driver, mounting an image only returns the folder that holds its files.
        var rootfs = podman.Run("image", "mount", reference).Trim();
        try
        {
            TreeSnapshot.AssertSame(TreeSnapshot.ArchivableEntries(sample.Tree, ContainerTestImages.Created), TreeSnapshot.Entries(rootfs),
                "The tree podman stored from the docker archive");
            Assert.AreEqual(TreeSnapshot.Xattrs(sample.Tree), TreeSnapshot.Xattrs(rootfs));
        }
        finally
        {
            podman.Run("image", "unmount", reference);
        }
    }

    [TestMethod]
    public async Task Write_MissingTree_FailsWithDib4001AndWritesNothing()
    {
        var root = Directory.CreateTempSubdirectory("dib-docker-missing-").FullName;
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
}
