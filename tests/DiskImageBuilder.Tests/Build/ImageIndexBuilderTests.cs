using System.Security.Cryptography;
using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Build;

/// <summary>The outer build's multi-platform archive: every architecture's archive, checksum files, and the record.</summary>
[TestClass]
public sealed class ImageIndexBuilderTests
{
    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("dib-image-index-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private ImageIndexBuilder Builder() => new(new WorkFolder(Path.Combine(_root, "obj", "dib"), "img"), new RecordingBuildLog());

    private string OutputPath => Path.Combine(_root, "bin", "img.oci.tar");

    [TestMethod]
    public async Task Write_AnArchitectureWithoutItsArchive_FailsWithDib4002NamingItAndWritesNothing()
    {
        var error = await Assert.ThrowsExactlyAsync<DibException>(() => Builder().WriteAsync(["amd64", "i386"],
            new Dictionary<string, string> { ["amd64"] = Path.Combine(_root, "amd64.oci.tar") }, OutputPath, ["sha256"],
            TestContext.CancellationToken));

        Assert.AreEqual(ErrorCodes.ImageIndexInputUnreadable, error.Code);
        StringAssert.Contains(error.Message, "the build of i386 returned none");
        Assert.IsFalse(Directory.Exists(Path.Combine(_root, "bin")));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_TwoArchitectures_WritesTheChecksumFilesAndDescribesTheArchiveFromItsRecord()
    {
        var archives = new Dictionary<string, string>();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var tree = Directory.CreateDirectory(Path.Combine(_root, "tree-" + arch)).FullName;
            File.WriteAllText(Path.Combine(tree, "hello.txt"), arch);
            archives[arch] = Path.Combine(_root, arch, "img.oci.tar");
            await new OciImageLayout(ContainerTestImages.TreeTar())
                .WriteAsync(tree, archives[arch], ContainerTestImages.Options(arch), TestContext.CancellationToken);
        }

        await Builder().WriteAsync(["amd64", "arm64"], archives, OutputPath, ["sha256", "md5"], TestContext.CancellationToken);
        var described = await Builder().DescribeAsync(OutputPath, TestContext.CancellationToken);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(OutputPath)));
        Assert.AreEqual($"{sha256}  img.oci.tar\n", File.ReadAllText(OutputPath + ".sha256"));
        Assert.AreEqual($"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(OutputPath)))}  img.oci.tar\n", File.ReadAllText(OutputPath + ".md5"));
        Assert.AreEqual((new FileInfo(OutputPath).Length, sha256), described);
        Assert.IsTrue(File.Exists(OutputRecord.RecordPath(new WorkFolder(Path.Combine(_root, "obj", "dib"), "img").OutputRecords, OutputPath)),
            "the record is in the work folder");
    }
}
