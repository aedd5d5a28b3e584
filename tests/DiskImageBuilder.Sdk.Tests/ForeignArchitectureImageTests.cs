using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Debian VM images of the three architectures this host can only emulate, built once in one TargetArchs build
/// (three inner builds in parallel, their scripts under qemu-user), read back and booted with plain emulation:
/// arm64 with UEFI (AAVMF) on QEMU's virt machine, ppc64el with Open Firmware (SLOF) on pseries, i386 with SeaBIOS.
/// The build of the three under emulation took more than 20 minutes on the 2-core reference host (the kernels'
/// initramfs under qemu-user costs most), more than the CI budget leaves, so the class runs only when
/// DIB_TEST_FOREIGN_ARCHS=1; otherwise its tests are skipped with that reason.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class ForeignArchitectureImageTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private const string Switch = "DIB_TEST_FOREIGN_ARCHS";

    private static bool Enabled => Environment.GetEnvironmentVariable(Switch) == "1";

    private static void RequireEnabled()
    {
        if (!Enabled)
            Assert.Inconclusive($"Emulated builds of arm64, ppc64el and i386 take longer than the CI budget; set {Switch}=1 to run them.");
        s_build.AssertSucceeded();
    }

    private static string Raw(string arch) => Path.Combine(s_project.OutputDirectory(arch), "foreign.raw");

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        if (!Enabled)
            return;
        s_project = ImageProject.Create("foreign", """
              <PropertyGroup>
                <TargetArchs>arm64;ppc64el;i386</TargetArchs>
                <ImageFormats>raw</ImageFormats>
                <ElementsPath>elements</ElementsPath>
              </PropertyGroup>
              <ItemGroup>
                <Element Include="debian-minimal" />
                <Element Include="vm" />
                <Element Include="arch-probe" />
                <ElementEnvironment Include="DIB_INITRAMFS_MODULES" Value="list" />
              </ItemGroup>
            """);
        s_project.AddTestElement("arch-probe");
        s_build = s_project.Run("build", TimeSpan.FromMinutes(60));
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    private static long StartBytes(string arch, int index) =>
        ImageFiles.PartitionTable(Raw(arch)).GetProperty("partitions")[index].GetProperty("start").GetInt64() * 512;

    [TestMethod]
    [DataRow("arm64", "aarch64", "uefi", 2)]
    [DataRow("ppc64el", "ppc64le", "ieee1275", 1)]
    [DataRow("i386", "i686", "bios uefi", 0)]
    public void Build_ScriptsRunAsTheTargetArchitecture(string arch, string uname, string firmware, int rootIndex)
    {
        RequireEnabled();
        var offset = StartBytes(arch, rootIndex);
        Assert.AreEqual(uname, ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/uname", offset).Trim(), "uname -m in the chroot");
        Assert.AreEqual(arch, ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/dpkg-arch", offset).Trim());
        Assert.AreEqual($"{arch} {uname} {firmware}", ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/env", offset).Trim());
        ImageFiles.AssertFilesystemClean(Raw(arch), offset);
    }

    [TestMethod]
    public void Arm64_DefaultsToTheEfiLayoutWithGrubAtTheRemovableMediaPathAndTtyAMA0()
    {
        RequireEnabled();
        var partitions = ImageFiles.PartitionTable(Raw("arm64")).GetProperty("partitions").EnumerateArray().ToList();
        Assert.AreEqual("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", partitions[0].GetProperty("type").GetString(), "ESP first");
        var listing = Command.Run("mdir", ["-i", $"{Raw("arm64")}@@{StartBytes("arm64", 0)}", "-/", "-b", "::/EFI"]);
        Assert.AreEqual(0, listing.ExitCode, listing.Output);
        StringAssert.Contains(listing.Output, "::/EFI/BOOT/BOOTAA64.EFI");
        StringAssert.Contains(listing.Output, "::/EFI/debian/grubaa64.efi");
        StringAssert.Contains(ImageFiles.ReadFile(Raw("arm64"), "/boot/grub/grub.cfg", StartBytes("arm64", 2)), "console=ttyAMA0,115200");
        var packages = File.ReadAllLines(Path.Combine(s_project.OutputDirectory("arm64"), "foreign.manifests", "packages.txt"));
        Assert.IsTrue(packages.Any(l => l.StartsWith("linux-image-cloud-arm64\t", StringComparison.Ordinal)));
        Assert.IsTrue(packages.Any(l => l.StartsWith("grub-efi-arm64-bin\t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Ppc64el_HasAPrepPartitionHoldingGrubsOpenFirmwareImageAndHvc0()
    {
        RequireEnabled();
        var partitions = ImageFiles.PartitionTable(Raw("ppc64el")).GetProperty("partitions").EnumerateArray().ToList();
        Assert.AreEqual("41", partitions[0].GetProperty("type").GetString(), "PReP boot partition first");
        var prep = new byte[4];
        using (var stream = File.OpenRead(Raw("ppc64el")))
        {
            stream.Position = StartBytes("ppc64el", 0);
            stream.ReadExactly(prep);
        }
        CollectionAssert.AreEqual("\u007fELF"u8.ToArray(), prep, "GRUB's core.elf starts the PReP partition");
        StringAssert.Contains(ImageFiles.ReadFile(Raw("ppc64el"), "/boot/grub/grub.cfg", StartBytes("ppc64el", 1)), "console=hvc0");
        Assert.IsTrue(ImageFiles.Exists(Raw("ppc64el"), "/boot/grub/powerpc-ieee1275/linux.mod", StartBytes("ppc64el", 1)));
    }

    [TestMethod]
    public void I386_IsARealI386TreeWithThe686KernelAndBiosGrub()
    {
        RequireEnabled();
        var packages = File.ReadAllLines(Path.Combine(s_project.OutputDirectory("i386"), "foreign.manifests", "packages.txt"));
        Assert.IsTrue(packages.Any(l => l.StartsWith("linux-image-686\t", StringComparison.Ordinal)), "the 686 kernel");
        Assert.IsTrue(packages.Any(l => l.StartsWith("libc6\t", StringComparison.Ordinal) && l.EndsWith("\ti386", StringComparison.Ordinal)), "i386 libc");
        var sector0 = new byte[512];
        using (var stream = File.OpenRead(Raw("i386")))
            stream.ReadExactly(sector0);
        Assert.IsTrue(sector0[..440].Any(b => b != 0), "GRUB's boot code is in sector 0");
        Assert.IsTrue(ImageFiles.Exists(Raw("i386"), "/boot/grub/i386-pc/core.img"));
    }

    // Plain emulation of another architecture is slow: a budget of 8 minutes each (measured figures in bench/arch.sh's report).
    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    [DataRow("arm64")]
    [DataRow("ppc64el")]
    [DataRow("i386")]
    public void Boot_ReachesTheLoginPrompt(string arch)
    {
        RequireEnabled();
        QemuBoot.AssertReachesLogin(Raw(arch), "raw", TimeSpan.FromMinutes(8), Path.Combine(s_project.Directory, $"boot-{arch}-console.log"), arch: arch);
    }
}
