using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Debian VM images of the three architectures this host can only emulate, built once in one TargetArchs build
/// (three inner builds in parallel, their scripts under qemu-user), read back and booted with plain emulation:
/// arm64 with UEFI (AAVMF) on QEMU's virt machine, ppc64el with Open Firmware (SLOF) on pseries, i386 with SeaBIOS.
/// The build and the boots are <see cref="ForeignArchitectureBuild"/>'s, which a whole-suite run starts in the
/// background. They run only with DIB_TEST_FOREIGN_ARCHS=1 (see <see cref="BackgroundBuilds"/>).
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class ForeignArchitectureImageTests
{
    private static ForeignArchitectureBuild.Result s_run = null!;

    private static void RequireBuilt()
    {
        if (!BackgroundBuilds.ForeignArchitecturesWanted)
            Assert.Inconclusive("The emulated builds and boots of arm64, ppc64el and i386 take about half an hour, more than the default suite's budget leaves; set DIB_TEST_FOREIGN_ARCHS=1 to run them.");
        s_run.Build.AssertSucceeded();
    }

    private static ImageProject Project => s_run.Project;

    private static string Raw(string arch) => s_run.Raw(arch);

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        if (BackgroundBuilds.ForeignArchitecturesWanted)
            s_run = ForeignArchitectureBuild.Wait();
    }

    [ClassCleanup]
    public static void Cleanup() => s_run?.Project.Dispose();

    private static long StartBytes(string arch, int index) =>
        ImageFiles.PartitionTable(Raw(arch)).GetProperty("partitions")[index].GetProperty("start").GetInt64() * 512;

    [TestMethod]
    [DataRow("arm64", "aarch64", "uefi", 2)]
    [DataRow("ppc64el", "ppc64le", "ieee1275", 1)]
    [DataRow("i386", "i686", "bios uefi", 0)]
    public void Build_ScriptsRunAsTheTargetArchitecture(string arch, string uname, string firmware, int rootIndex)
    {
        RequireBuilt();
        var offset = StartBytes(arch, rootIndex);
        Assert.AreEqual(uname, ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/uname", offset).Trim(), "uname -m in the chroot");
        Assert.AreEqual(arch, ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/dpkg-arch", offset).Trim());
        Assert.AreEqual($"{arch} {uname} {firmware}", ImageFiles.ReadFile(Raw(arch), "/etc/dib-probe/env", offset).Trim());
        ImageFiles.AssertFilesystemClean(Raw(arch), offset);
    }

    [TestMethod]
    public void Arm64_DefaultsToTheEfiLayoutWithGrubAtTheRemovableMediaPathAndTtyAMA0()
    {
        RequireBuilt();
        var partitions = ImageFiles.PartitionTable(Raw("arm64")).GetProperty("partitions").EnumerateArray().ToList();
        Assert.AreEqual("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", partitions[0].GetProperty("type").GetString(), "ESP first");
        var listing = Command.Run("mdir", ["-i", $"{Raw("arm64")}@@{StartBytes("arm64", 0)}", "-/", "-b", "::/EFI"]);
        Assert.AreEqual(0, listing.ExitCode, listing.Output);
        StringAssert.Contains(listing.Output, "::/EFI/BOOT/BOOTAA64.EFI");
        StringAssert.Contains(listing.Output, "::/EFI/debian/grubaa64.efi");
        StringAssert.Contains(ImageFiles.ReadFile(Raw("arm64"), "/boot/grub/grub.cfg", StartBytes("arm64", 2)), "console=ttyAMA0,115200");
        var packages = File.ReadAllLines(Path.Combine(Project.OutputDirectory("arm64"), "foreign.manifests", "packages.txt"));
        Assert.IsTrue(packages.Any(l => l.StartsWith("linux-image-cloud-arm64\t", StringComparison.Ordinal)));
        Assert.IsTrue(packages.Any(l => l.StartsWith("grub-efi-arm64-bin\t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void InitramfsModules_TheListPolicyIsInTheImageBeforeAnyKernelUpdate()
    {
        RequireBuilt();
        var offset = StartBytes("arm64", 2);
        StringAssert.Contains(ImageFiles.ReadFile(Raw("arm64"), "/etc/initramfs-tools/conf.d/dib-modules", offset), "MODULES=list");
        var modules = ImageFiles.ReadFile(Raw("arm64"), "/usr/share/initramfs-tools/modules.d/dib-modules", offset).Split('\n');
        CollectionAssert.IsSubsetOf(new[] { "virtio_pci", "virtio_blk", "ext4" }, modules);
    }

    [TestMethod]
    public void Ppc64el_HasAPrepPartitionHoldingGrubsOpenFirmwareImageAndHvc0()
    {
        RequireBuilt();
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
        RequireBuilt();
        var packages = File.ReadAllLines(Path.Combine(Project.OutputDirectory("i386"), "foreign.manifests", "packages.txt"));
        Assert.IsTrue(packages.Any(l => l.StartsWith("linux-image-686\t", StringComparison.Ordinal)), "the 686 kernel");
        Assert.IsTrue(packages.Any(l => l.StartsWith("libc6\t", StringComparison.Ordinal) && l.EndsWith("\ti386", StringComparison.Ordinal)), "i386 libc");
        var sector0 = new byte[512];
        using (var stream = File.OpenRead(Raw("i386")))
            stream.ReadExactly(sector0);
        Assert.IsTrue(sector0[..440].Any(b => b != 0), "GRUB's boot code is in sector 0");
        Assert.IsTrue(ImageFiles.Exists(Raw("i386"), "/boot/grub/i386-pc/core.img"));
    }

    // Plain emulation of another architecture is slow: ForeignArchitectureBuild.BootBudget (8 minutes) each.
    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    [DataRow("arm64")]
    [DataRow("ppc64el")]
    [DataRow("i386")]
    public void Boot_ReachesTheLoginPrompt(string arch)
    {
        RequireBuilt();
        var outcome = s_run.Boots[arch];
        Assert.IsTrue(outcome.ReachedLogin,
            $"{arch}: no login prompt after {outcome.Elapsed.TotalSeconds:F0} s; last console lines:\n" + string.Join('\n', outcome.Console.Split('\n').TakeLast(40)));
    }
}
