using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A Debian VM with the block-device-efi layout, built once: the EFI system partition is a FAT filesystem that
/// holds GRUB at the removable-media path, read with mtools (no mount), and the image boots with UEFI firmware
/// (OVMF, with an empty variable store) and with BIOS firmware.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class EfiLayoutTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "efi-vm.raw");

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> Fixture = new("efi-vm", () =>
    {
        var project = CreateProject();
        return (project, project.Build());
    });

    /// <summary>
    /// The project, made as a user makes one (`dotnet new imgproj --layout efi`), with the owners-probe element (a dev
    /// user, ping, files of far owners with set-ID bits and capabilities) that RootlessBuildTests compares.
    /// </summary>
    internal static ImageProject CreateProject()
    {
        var project = ImageProject.CreateFromTemplate("efi-vm", "--os", "debian-minimal", "--layout", "efi", "--formats", "raw");
        project.AddTestElement("owners-probe");
        project.AddToProject("<ItemGroup><Element Include=\"owners-probe\" /></ItemGroup>");
        return project;
    }

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build) = Fixture.Result;
    }

    // No ClassCleanup: the project stays until the run ends (which removes the run's folder), for RootlessBuildTests.

    private static long StartBytes(int index) =>
        ImageFiles.PartitionTable(Raw).GetProperty("partitions")[index].GetProperty("start").GetInt64() * 512;

    [TestMethod]
    public void Build_WritesEspBiosBootAndRootPartitions()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(0, Command.Run("sgdisk", ["-v", Raw]).ExitCode);
        var partitions = ImageFiles.PartitionTable(Raw).GetProperty("partitions").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "ESP", "BSP", "root" }, partitions.Select(p => p.GetProperty("name").GetString()).ToArray());
        Assert.AreEqual("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", partitions[0].GetProperty("type").GetString(), "EFI system (EF00)");
        Assert.AreEqual(550L * 2048, partitions[0].GetProperty("size").GetInt64());
        var probe = Command.StandardOutput("blkid", "--probe", "--offset", StartBytes(0).ToString(System.Globalization.CultureInfo.InvariantCulture), Raw);
        StringAssert.Contains(probe, "TYPE=\"vfat\"");
        StringAssert.Contains(probe, "LABEL=\"MKFS_ESP\"");
    }

    [TestMethod]
    public void Build_PutsGrubOnTheEspAtTheRemovableMediaPath()
    {
        s_build.AssertSucceeded();
        var image = $"{Raw}@@{StartBytes(0)}";
        var listing = Command.Run("mdir", ["-i", image, "-/", "-b", "::/EFI"], environment: new Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1" });
        Assert.AreEqual(0, listing.ExitCode, listing.Output);
        StringAssert.Contains(listing.Output, "::/EFI/BOOT/BOOTX64.EFI");
        StringAssert.Contains(listing.Output, "::/EFI/debian/grubx64.efi");
        var fstab = ImageFiles.ReadFile(Raw, "/etc/fstab", StartBytes(2));
        StringAssert.Contains(fstab, "LABEL=MKFS_ESP /boot/efi vfat defaults 0 2");
        var mountPoint = Command.StandardOutput("debugfs", "-R", "ls /boot/efi", $"{Raw}?offset={StartBytes(2)}");
        Assert.DoesNotContain("EFI", mountPoint, "the root filesystem's /boot/efi is an empty mount point");
        ImageFiles.AssertFilesystemClean(Raw, StartBytes(2));
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Boot_WithUefiFirmwareReachesTheLoginPrompt()
    {
        s_build.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Raw, "raw", TimeSpan.FromSeconds(300), Path.Combine(s_project.Directory, "boot-uefi-console.log"), uefi: true);
    }
}
