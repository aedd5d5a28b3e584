using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The repository's sample, samples/debian-vm, built once through the packed SDK (qcow2, raw and
/// vmdk), read back with qemu-img, sfdisk and debugfs, and booted in QEMU to a login prompt.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed partial class DebianVmTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static HostSnapshot s_hostBefore = null!;
    private static HostSnapshot s_hostAfter = null!;

    private static string Image(string format) => Path.Combine(s_project.OutputDirectory(), $"debian-vm.{format}");

    /// <summary>The sample's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build, HostSnapshot Before, HostSnapshot After)> Fixture =
        new("debian-vm", () =>
        {
            var before = HostSnapshot.Take();
            var project = ImageProject.Create("debian-vm", "", copyFrom: Path.Combine(Repository.Samples, "debian-vm"));
            // Reproducible (DebianVmTests.Reproducible.cs builds it again elsewhere and compares): a fixed SOURCE_DATE_EPOCH, no stage cache.
            var build = project.Build(ReproducibleArguments);
            return (project, build, before, HostSnapshot.Take());
        });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build, s_hostBefore, s_hostAfter) = Fixture.Result;
    }

    // No ClassCleanup: both projects stay until the run ends (which removes the run's folder); RootlessBuildTests, later,
    // boots the second, the rootless build.

    [TestMethod]
    public void Build_WritesQcow2AndRawUnderBinDebugAmd64()
    {
        s_build.AssertSucceeded();
        var qcow2 = ImageFiles.QemuImgInfo(Image("qcow2"));
        Assert.AreEqual("qcow2", qcow2.GetProperty("format").GetString());
        Assert.AreEqual(new FileInfo(Image("raw")).Length, qcow2.GetProperty("virtual-size").GetInt64(),
            "the qcow2 holds the whole raw disk");
        Assert.AreEqual(0, Command.Run("qemu-img", ["check", Image("qcow2")]).ExitCode, "qemu-img check passes");
        Assert.IsLessThan(200L * 1024 * 1024, new FileInfo(Image("qcow2")).Length, "the qcow2 stays under 200 MB");
    }

    [TestMethod]
    public void Build_RawHasBootableMbrGrubAndCleanRootFilesystem()
    {
        s_build.AssertSucceeded();
        var raw = Image("raw");
        var partition = ImageFiles.PartitionTable(raw).GetProperty("partitions")[0];
        Assert.AreEqual(2048, partition.GetProperty("start").GetInt64());
        Assert.IsTrue(partition.GetProperty("bootable").GetBoolean());
        ImageFiles.AssertFilesystemClean(raw);
        var sector0 = new byte[512];
        using (var stream = File.OpenRead(raw))
            stream.ReadExactly(sector0);
        CollectionAssert.AreEqual(new byte[] { 0x55, 0xAA }, sector0[510..512], "MBR boot signature");
        Assert.IsTrue(sector0[..440].Any(b => b != 0), "GRUB's boot code is in sector 0");
        var grubCfg = ImageFiles.ReadFile(raw, "/boot/grub/grub.cfg");
        StringAssert.Contains(grubCfg, "console=ttyS0,115200");
        StringAssert.Contains(grubCfg, "console=tty0");
        StringAssert.Contains(ImageFiles.ReadFile(raw, "/etc/fstab"), "LABEL=cloudimg-rootfs / ext4");
        Assert.IsFalse(ImageFiles.Exists(raw, "/usr/sbin/policy-rc.d"), "build-time settings are removed");
        // debootstrap's DIB_APT_MINIMAL_CREATE_INTERFACES (default 1) with DIB_NETWORK_INTERFACE_NAMES (eth0 eth1).
        StringAssert.Contains(ImageFiles.ReadFile(raw, "/etc/network/interfaces"), "source /etc/network/interfaces.d/*");
        Assert.AreEqual("allow-hotplug eth0\niface eth0 inet dhcp\n", ImageFiles.ReadFile(raw, "/etc/network/interfaces.d/eth0"));
        Assert.AreEqual("allow-hotplug eth1\niface eth1 inet dhcp\n", ImageFiles.ReadFile(raw, "/etc/network/interfaces.d/eth1"));
    }

    [TestMethod]
    public void Build_WritesManifestsBesideTheOutputs()
    {
        s_build.AssertSucceeded();
        var manifests = Path.Combine(s_project.OutputDirectory(), "debian-vm.manifests");
        var packages = File.ReadAllLines(Path.Combine(manifests, "packages.txt"));
        Assert.IsTrue(packages.Any(l => l.StartsWith("linux-image-cloud-amd64\t", StringComparison.Ordinal)), "the kernel is listed with its version");
        Assert.IsTrue(packages.Any(l => l.StartsWith("systemd-sysv\t", StringComparison.Ordinal)));
        var elements = File.ReadAllLines(Path.Combine(manifests, "elements.txt")).Select(l => l.Split('\t')[0]).ToList();
        CollectionAssert.IsSubsetOf(new[] { "debian-minimal", "vm", "bootloader", "block-device-mbr", "base" }, elements);
        StringAssert.Contains(File.ReadAllText(Path.Combine(manifests, "environment.txt")), "DIB_RELEASE=bookworm");
        StringAssert.Contains(File.ReadAllText(Path.Combine(manifests, "block-device.json")), "\"label\": \"cloudimg-rootfs\"");
        var check = Command.Run("sha256sum", ["-c", "--quiet", Path.Combine(manifests, "inputs.sha256")]);
        Assert.AreEqual(0, check.ExitCode, "the input hashes match the inputs:\n" + check.Output);
        StringAssert.Contains(File.ReadAllText(Path.Combine(manifests, "inputs.sha256")), "debian-vm.imgproj");
    }

    [TestMethod]
    public void Build_KeepsDownloadedPackagesInTheSharedCache_NotInTheImage()
    {
        s_build.AssertSucceeded();
        var cache = Path.Combine(ImageProject.CacheDirectory, "apt", "debian-bookworm-amd64");
        Assert.IsTrue(Directory.EnumerateFiles(cache, "linux-image-*.deb").Any(), $"the kernel package is kept in {cache}");
        Assert.IsTrue(Directory.EnumerateFiles(cache, "libc6_*.deb").Any(), $"the bootstrap's own downloads (libc6) are kept in {cache} too");
        var listing = Command.StandardOutput("debugfs", "-R", "ls -l /var/cache/apt/archives", $"{Image("raw")}?offset={ImageFiles.FirstPartitionOffset}");
        Assert.DoesNotContain(".deb", listing, "no package file is left in the image");
    }

    [TestMethod]
    public void Build_LeavesHostUntouched()
    {
        s_build.AssertSucceeded();
        s_hostAfter.AssertUnchangedSince(s_hostBefore);
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    [DataRow("qcow2"), DataRow("vmdk")]
    public void Boot_ReachesLoginPromptOnSerialConsole(string format)
    {
        s_build.AssertSucceeded();
        var outcome = QemuBoot.UntilLogin(Image(format), format, TimeSpan.FromSeconds(240),
            Path.Combine(s_project.Directory, $"boot-{format}-console.log"));
        Assert.IsTrue(outcome.ReachedLogin,
            $"no login prompt after {outcome.Elapsed.TotalSeconds:F0} s; last console lines:\n" +
            string.Join('\n', outcome.Console.Split('\n').TakeLast(40)));
    }
}
