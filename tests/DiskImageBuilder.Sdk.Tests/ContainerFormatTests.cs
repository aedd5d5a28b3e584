using System.Text.Json;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Formats made from the root tree: tar, tgz, an OCI archive and a docker archive of one small image,
/// built once, read back with tar, skopeo and umoci. No disk is built for them.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class ContainerFormatTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private static string Output(string suffix) => Path.Combine(s_project.OutputDirectory(), "containers" + suffix);

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_project = ImageProject.Create("containers", """
            <PropertyGroup>
              <ImageFormats>tar;tgz;oci;docker</ImageFormats>
              <ElementsPath>elements</ElementsPath>
              <Version>1.2.3</Version>
              <ContainerTag>v1</ContainerTag>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <ContainerLabel Include="com.example.team" Value="images" />
            </ItemGroup>
            """);
        s_project.AddTestElement("tiny-os");
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    [TestMethod]
    public void TreeFormats_BuildNoDisk()
    {
        s_build.AssertSucceeded();
        Assert.IsFalse(File.Exists(Path.Combine(s_project.IntermediateDirectory(), "dib", "containers.raw")), "no disk is made for tree formats");
    }

    [TestMethod]
    public void Tar_HoldsTheTreeOwnedByRootWithoutDeviceNodes()
    {
        s_build.AssertSucceeded();
        var listing = Command.StandardOutput("tar", "--numeric-owner", "-tvf", Output(".tar")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var hostname = listing.Single(l => l.EndsWith(" etc/hostname", StringComparison.Ordinal));
        StringAssert.Contains(hostname, " 0/0 ");
        Assert.IsFalse(listing.Any(l => l.Contains(" dev/", StringComparison.Ordinal) && !l.EndsWith(" dev/", StringComparison.Ordinal)),
            "nothing under dev/ but the folder itself");
        var tree = Path.Combine(s_project.IntermediateDirectory(), "dib", "tree");
        var files = Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(tree, "dev") + "/", StringComparison.Ordinal) && new FileInfo(f).LinkTarget is null).Count();
        Assert.AreEqual(files, listing.Count(l => l.StartsWith('-') || l.StartsWith('h')), "every regular file of the tree is in the tar");
    }

    [TestMethod]
    public void Tgz_HoldsTheSameEntriesAsTar()
    {
        s_build.AssertSucceeded();
        CollectionAssert.AreEqual(
            Command.StandardOutput("tar", "-tf", Output(".tar")).Split('\n'),
            Command.StandardOutput("tar", "-tzf", Output(".tgz")).Split('\n'));
    }

    [TestMethod]
    public void Oci_SkopeoReadsArchitectureOsTagAndLabels()
    {
        s_build.AssertSucceeded();
        var inspect = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect", $"oci-archive:{Output(".oci.tar")}:v1")).RootElement;
        Assert.AreEqual("amd64", inspect.GetProperty("Architecture").GetString());
        Assert.AreEqual("linux", inspect.GetProperty("Os").GetString());
        var labels = inspect.GetProperty("Labels");
        Assert.AreEqual("containers", labels.GetProperty("org.opencontainers.image.title").GetString());
        Assert.AreEqual("1.2.3", labels.GetProperty("org.opencontainers.image.version").GetString());
        Assert.AreEqual("images", labels.GetProperty("com.example.team").GetString());
    }

    [TestMethod]
    public void Oci_UmociUnpacksTheTree()
    {
        s_build.AssertSucceeded();
        var work = Path.Combine(s_project.Directory, "umoci");
        Directory.CreateDirectory(Path.Combine(work, "layout"));
        Command.RunChecked("tar", "-xf", Output(".oci.tar"), "-C", Path.Combine(work, "layout"));
        Command.RunChecked("umoci", "unpack", "--image", Path.Combine(work, "layout") + ":v1", Path.Combine(work, "bundle"));
        var tree = Path.Combine(s_project.IntermediateDirectory(), "dib", "tree");
        var rootfs = Path.Combine(work, "bundle", "rootfs");
        Assert.AreEqual(File.ReadAllText(Path.Combine(tree, "etc", "hostname")), File.ReadAllText(Path.Combine(rootfs, "etc", "hostname")));
        var diff = Command.Run("diff", ["-r", "--no-dereference", "-x", "dev", tree, rootfs]);
        Assert.AreEqual(0, diff.ExitCode, "the unpacked image equals the tree:\n" + diff.Output);
    }

    [TestMethod]
    public void Docker_SkopeoReadsTheArchiveAndTag()
    {
        s_build.AssertSucceeded();
        var inspect = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect", $"docker-archive:{Output(".docker.tar")}")).RootElement;
        Assert.AreEqual("amd64", inspect.GetProperty("Architecture").GetString());
        Assert.AreEqual("images", inspect.GetProperty("Labels").GetProperty("com.example.team").GetString());
        var manifest = Command.StandardOutput("tar", "-xOf", Output(".docker.tar"), "manifest.json");
        StringAssert.Contains(manifest, "containers:v1");
    }
}
