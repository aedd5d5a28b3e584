using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A Debian VM with the block-device-gpt layout, built once: the GUID partition table the SDK writes is read back
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

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_project = ImageProject.CreateDebianVm("gpt-vm", "block-device-gpt");
        s_build = s_project.Build();
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
    [TestCategory(TestCategories.Qemu)]
    public void Boot_WithBiosFirmwareReachesTheLoginPrompt()
    {
        s_build.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Raw, "raw", TimeSpan.FromSeconds(240), Path.Combine(s_project.Directory, "boot-bios-console.log"));
    }
}
