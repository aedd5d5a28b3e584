using System.Globalization;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A Debian VM whose layout comes from the project's own block-device YAML (the BlockDeviceConfig property): an MBR
/// with a separate /boot, the root, and logical partitions for swap and a btrfs /var. Built once; the partition
/// table, each filesystem and the fstab are read back from the raw disk without mounting, and the image boots.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class MultiPartitionLayoutTests
{
    private const string Layout = """
        - local_loop:
            name: image0
        - partitioning:
            base: image0
            label: mbr
            partitions:
              - name: boot
                flags: [boot, primary]
                size: 300MiB
                mkfs:
                  type: ext4
                  label: BOOT
                  mount:
                    mount_point: /boot
                    fstab:
                      fsck-passno: 2
              - name: root
                flags: [primary]
                size: 75%
                mkfs:
                  name: mkfs_root
                  mount:
                    mount_point: /
                    fstab:
                      options: defaults,errors=remount-ro
                      fsck-passno: 1
              - name: swap
                size: 64MiB
                type: '0x82'
                mkfs:
                  type: swap
                  label: SWAP
                  mount:
                    mount_point: none
                    fstab:
                      options: sw
                      fsck-passno: 0
              - name: var
                size: 100%
                mkfs:
                  type: btrfs
                  label: VAR
                  mount:
                    mount_point: /var
                    fstab:
                      fsck-passno: 0
        """;

    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "multi-vm.raw");

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> Fixture = new("multi-vm", () =>
    {
        var project = ImageProject.Create("multi-vm", """
              <PropertyGroup>
                <ImageFormats>raw</ImageFormats>
                <BlockDeviceConfig>layout.yaml</BlockDeviceConfig>
              </PropertyGroup>
              <ItemGroup>
                <Element Include="debian-minimal" />
                <Element Include="vm" />
              </ItemGroup>
            """);
        File.WriteAllText(Path.Combine(project.Directory, "layout.yaml"), Layout);
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

    private static List<System.Text.Json.JsonElement> Partitions() =>
        [.. ImageFiles.PartitionTable(Raw).GetProperty("partitions").EnumerateArray()];

    private static long Offset(string node) => Partitions().Single(p => p.GetProperty("node").GetString()!.EndsWith(node, StringComparison.Ordinal))
        .GetProperty("start").GetInt64() * 512;

    private static string Probe(long offset) =>
        Command.StandardOutput("blkid", "--probe", "--offset", offset.ToString(CultureInfo.InvariantCulture), Raw);

    [TestMethod]
    public void Build_WritesPrimaryAndLogicalPartitionsInAnExtendedPartition()
    {
        s_build.AssertSucceeded();
        var partitions = Partitions();
        CollectionAssert.AreEqual(new[] { "raw1", "raw2", "raw3", "raw5", "raw6" },
            partitions.Select(p => p.GetProperty("node").GetString()![^4..]).ToArray());
        CollectionAssert.AreEqual(new[] { "83", "83", "f", "82", "83" }, partitions.Select(p => p.GetProperty("type").GetString()).ToArray());
        Assert.IsTrue(partitions[0].TryGetProperty("bootable", out var bootable) && bootable.GetBoolean(), "/boot carries the boot flag");
        Assert.AreEqual(64L * 2048, partitions[3].GetProperty("size").GetInt64());
        Assert.AreEqual(0, Command.Run("sfdisk", ["--verify", Raw]).ExitCode);
    }

    [TestMethod]
    public void Build_MakesEachFilesystemWithItsLabel()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(Probe(Offset("raw1")), "LABEL=\"BOOT\"");
        StringAssert.Contains(Probe(Offset("raw2")), "LABEL=\"cloudimg-rootfs\"");
        var swap = Probe(Offset("raw5"));
        StringAssert.Contains(swap, "TYPE=\"swap\"");
        StringAssert.Contains(swap, "LABEL=\"SWAP\"");
        var var = Probe(Offset("raw6"));
        StringAssert.Contains(var, "TYPE=\"btrfs\"");
        StringAssert.Contains(var, "LABEL=\"VAR\"");
        ImageFiles.AssertFilesystemClean(Raw, Offset("raw1"));
        ImageFiles.AssertFilesystemClean(Raw, Offset("raw2"));
    }

    [TestMethod]
    public void Build_SplitsTheTreeAtTheMountPoints()
    {
        s_build.AssertSucceeded();
        var boot = Command.StandardOutput("debugfs", "-R", "ls -p /", $"{Raw}?offset={Offset("raw1")}");
        StringAssert.Contains(boot, "vmlinuz-", "the kernel is on the /boot filesystem, at its top");
        var rootBoot = Command.StandardOutput("debugfs", "-R", "ls -p /boot", $"{Raw}?offset={Offset("raw2")}");
        Assert.DoesNotContain("vmlinuz-", rootBoot, "the root filesystem's /boot is an empty mount point");
        var rootVar = Command.StandardOutput("debugfs", "-R", "ls -p /var", $"{Raw}?offset={Offset("raw2")}");
        Assert.DoesNotContain("/lib/", rootVar, "the root filesystem's /var is an empty mount point");
    }

    [TestMethod]
    public void Build_WritesFstabFromTheLayoutInMountOrder()
    {
        s_build.AssertSucceeded();
        var lines = ImageFiles.ReadFile(Raw, "/etc/fstab", Offset("raw2")).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "LABEL=cloudimg-rootfs / ext4 defaults,errors=remount-ro 0 1",
            "LABEL=BOOT /boot ext4 defaults 0 2",
            "LABEL=VAR /var btrfs defaults 0 0",
            "LABEL=SWAP none swap sw 0 0",
        }, lines);
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Boot_FindsGrubOnTheSeparateBootFilesystemAndReachesTheLoginPrompt()
    {
        s_build.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Raw, "raw", TimeSpan.FromSeconds(240), Path.Combine(s_project.Directory, "boot-console.log"));
    }
}
