using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A Debian VM with the block-device-gpt layout, made with `dotnet new imgproj` and `dotnet new dib-element`, built once: the GUID partition table the SDK writes is read back
/// with sgdisk and partx, and the image boots with BIOS firmware (SeaBIOS) through GRUB's core image in the BIOS
/// boot partition.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class GptLayoutTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "gpt-vm.raw");

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> Fixture = new("gpt-vm", () =>
    {
        // Made as a user makes one: `dotnet new imgproj --layout gpt`, plus an element from `dotnet new dib-element`.
        var project = ImageProject.CreateFromTemplate("gpt-vm", "--os", "debian-minimal", "--layout", "gpt", "--formats", "raw");
        project.AddElementFromTemplate("greeting");
        project.AddToProject("""
              <ItemGroup>
                <Element Include="greeting" />
                <ElementEnvironment Include="DIB_GREETING_GREETING" Value="from-the-project" />
              </ItemGroup>
            """);
        return (project, project.Build());
    });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build) = Fixture.Result;
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    [TestMethod]
    public void Build_WritesAValidGptWithTheBiosBootPartitionFirst()
    {
        s_build.AssertSucceeded();
        var verify = Command.Run("sgdisk", ["-v", Raw]);
        Assert.AreEqual(0, verify.ExitCode, verify.Output);
        StringAssert.Contains(verify.Output, "No problems found");
        var table = ImageFiles.PartitionTable(Raw);
        Assert.AreEqual("gpt", table.GetProperty("label").GetString());
        var partitions = table.GetProperty("partitions").EnumerateArray().ToList();
        Assert.HasCount(2, partitions);
        Assert.AreEqual("21686148-6449-6E6F-744E-656564454649", partitions[0].GetProperty("type").GetString(), "BIOS boot (EF02)");
        Assert.AreEqual("BSP", partitions[0].GetProperty("name").GetString());
        Assert.AreEqual(2048, partitions[0].GetProperty("start").GetInt64());
        Assert.AreEqual(8 * 2048, partitions[0].GetProperty("size").GetInt64());
        Assert.AreEqual("0FC63DAF-8483-4772-8E79-3D69D8477DE4", partitions[1].GetProperty("type").GetString(), "Linux filesystem (8300)");
        Assert.AreEqual("root", partitions[1].GetProperty("name").GetString());
        var partx = Command.StandardOutput("partx", "--show", "--bytes", "--output", "NR,START,NAME", Raw);
        StringAssert.Contains(partx, "BSP");
        StringAssert.Contains(partx, "root");
    }

    [TestMethod]
    public void Build_PutsGrubsCoreImageInTheBiosBootPartition()
    {
        s_build.AssertSucceeded();
        using var disk = File.OpenRead(Raw);
        var sector0 = new byte[512];
        disk.ReadExactly(sector0);
        Assert.AreEqual(2048UL, BitConverter.ToUInt64(sector0, 0x5c), "boot.img points at the BIOS boot partition");
        Assert.AreEqual(0xEE, sector0[446 + 4], "the protective MBR entry is kept");
        var core = new byte[512];
        disk.Position = 2048 * 512;
        disk.ReadExactly(core);
        Assert.AreEqual(2049UL, BitConverter.ToUInt64(core, 500), "the core image reads its rest from the partition");
        var rootOffset = ImageFiles.PartitionTable(Raw).GetProperty("partitions")[1].GetProperty("start").GetInt64() * 512;
        ImageFiles.AssertFilesystemClean(Raw, rootOffset);
        StringAssert.Contains(ImageFiles.ReadFile(Raw, "/etc/fstab", rootOffset), "LABEL=cloudimg-rootfs / ext4 defaults 0 1");
    }

    [TestMethod]
    public void Templates_TheProjectPinsThePackedSdk_AndItsExampleElementAndANewElementRun()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(File.ReadAllText(Path.Combine(s_project.Directory, "global.json")),
            $"\"DiskImageBuilder.Sdk\": \"{PackedSdk.Instance.Version}\"", "dotnet new imgproj pins the templates' own SDK version");
        var element = Path.Combine(s_project.Directory, "elements", "greeting");
        foreach (var file in new[] { "README.md", "element-deps", "package-installs.yaml", "environment.d/10-greeting.bash", "install.d/50-greeting" })
            Assert.IsTrue(File.Exists(Path.Combine(element, file)), $"dotnet new dib-element wrote {file}");
        Assert.AreNotEqual((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(element, "install.d", "50-greeting")) & UnixFileMode.UserExecute,
            "the phase script is executable");
        var rootOffset = ImageFiles.PartitionTable(Raw).GetProperty("partitions")[1].GetProperty("start").GetInt64() * 512;
        StringAssert.Contains(ImageFiles.ReadFile(Raw, "/etc/motd", rootOffset), "built from gpt-vm.imgproj", "the template's example element ran");
        Assert.AreEqual("from-the-project", ImageFiles.ReadFile(Raw, "/etc/greeting", rootOffset).Trim(),
            "the new element's install.d script ran with the project's value for its variable");
        Assert.DoesNotContain("DIB2902", s_build.Output, "no script of the templates was skipped");
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Boot_WithBiosFirmwareReachesTheLoginPrompt()
    {
        s_build.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Raw, "raw", TimeSpan.FromSeconds(240), Path.Combine(s_project.Directory, "boot-bios-console.log"));
    }
}
