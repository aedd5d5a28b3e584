using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A small image from test elements (a tree of the host's bash and core programs, a probe script in
/// every phase), built once through the packed SDK and read back from the raw file without mounting.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class TinyImageTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static BuildResult s_rebuild = null!;
    private static HostSnapshot s_hostBefore = null!;
    private static HostSnapshot s_hostAfter = null!;
    private static DateTime s_rawWrittenAt;

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "tiny.raw");

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_hostBefore = HostSnapshot.Take();
        s_project = ImageProject.Create("tiny", """
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="tiny-probe" />
              <Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_ITEM" Value="from-item" />
            </ItemGroup>
            """);
        s_project.AddTestElement("tiny-os");
        s_project.AddTestElement("tiny-probe");
        s_project.AddTestElement("tiny-helper");
        s_build = s_project.Build();
        s_hostAfter = HostSnapshot.Take();
        if (s_build.Succeeded)
        {
            s_rawWrittenAt = File.GetLastWriteTimeUtc(Raw);
            s_rebuild = s_project.Build();
        }
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    [TestMethod]
    public void Build_WritesRawDiskWithOneBootableLinuxPartitionAt1MiB()
    {
        s_build.AssertSucceeded();
        var table = ImageFiles.PartitionTable(Raw);
        Assert.AreEqual("dos", table.GetProperty("label").GetString());
        var partitions = table.GetProperty("partitions").EnumerateArray().ToList();
        Assert.HasCount(1, partitions);
        Assert.AreEqual(2048, partitions[0].GetProperty("start").GetInt64());
        Assert.AreEqual("83", partitions[0].GetProperty("type").GetString());
        Assert.IsTrue(partitions[0].TryGetProperty("bootable", out var bootable) && bootable.GetBoolean());
        Assert.AreEqual(new FileInfo(Raw).Length / 512 - 2048, partitions[0].GetProperty("size").GetInt64(),
            "the root partition fills the disk after the 1 MiB gap");
    }

    [TestMethod]
    public void Build_RootFilesystemIsCleanExt4WithLabelAndFstab()
    {
        s_build.AssertSucceeded();
        ImageFiles.AssertFilesystemClean(Raw);
        var label = Command.RunChecked("debugfs", "-R", "stats", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        StringAssert.Contains(label, "Filesystem volume name:   cloudimg-rootfs");
        StringAssert.Contains(ImageFiles.ReadFile(Raw, "/etc/fstab"), "LABEL=cloudimg-rootfs / ext4");
    }

    [TestMethod]
    public void Build_RunsEveryPhaseOnceInDiskImageBuilderOrder()
    {
        s_build.AssertSucceeded();
        var order = ImageFiles.ReadFile(Raw, "/probe/order").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[]
        {
            "root.d", "extra-data.d", "pre-install.d", "install.d", "post-install.d",
            "post-root.d", "block-device.d", "pre-finalise.d", "finalise.d", "cleanup.d",
        }, order);
    }

    [TestMethod]
    public void Build_ScriptsSeeTheEnvironmentContract()
    {
        s_build.AssertSucceeded();
        var root = Lines(ImageFiles.ReadFile(Raw, "/probe/env-root.d"));
        var install = Lines(ImageFiles.ReadFile(Raw, "/probe/env-install.d"));
        var tree = Path.Combine(s_project.IntermediateDirectory(), "dib", "tree");

        Assert.AreEqual(tree, root["TARGET_ROOT"]);
        Assert.AreEqual(tree, root["TMP_MOUNT_PATH"]);
        Assert.AreEqual("amd64", root["ARCH"]);
        Assert.AreEqual("tiny", root["IMAGE_NAME"]);
        Assert.AreEqual("/tmp/in_target.d", install["TMP_HOOKS_PATH"]);
        Assert.IsFalse(install.ContainsKey("TARGET_ROOT"), "TARGET_ROOT is set only in root.d and cleanup.d");
        Assert.AreEqual("sourced", install["PROBE_FROM_ENVIRONMENT_D"], "environment.d is sourced before each script");
        Assert.AreEqual("from-item", install["DIB_PROBE_ITEM"], "ElementEnvironment items reach the scripts");
        StringAssert.Contains(install["IMAGE_ELEMENT"], "tiny-probe");
        Assert.AreEqual("cloudimg-rootfs", install["DIB_ROOT_LABEL"]);
        Assert.IsFalse(install.ContainsKey("IMAGE_BLOCK_DEVICE"), "the disk does not exist before post-root.d");
        var preFinalise = Lines(ImageFiles.ReadFile(Raw, "/probe/env-pre-finalise.d"));
        var finalise = Lines(ImageFiles.ReadFile(Raw, "/probe/env-finalise.d"));
        var disk = Path.Combine(s_project.IntermediateDirectory(), "dib", "tiny.raw");
        Assert.AreEqual(disk, preFinalise["IMAGE_BLOCK_DEVICE"], "from pre-finalise.d on, IMAGE_BLOCK_DEVICE is the disk");
        Assert.AreEqual(disk, finalise["IMAGE_BLOCK_DEVICE"]);
    }

    [TestMethod]
    public void Build_ResolvesDependenciesAndProvides()
    {
        s_build.AssertSucceeded();
        var env = Lines(ImageFiles.ReadFile(Raw, "/probe/env-install.d"));
        var elements = env["IMAGE_ELEMENT"].Split(' ');
        CollectionAssert.IsSubsetOf(new[] { "tiny-helper", "install-bin", "package-installs", "base" }, elements,
            "element-deps are transitive and base is added");
        Assert.IsLessThan(Array.IndexOf(elements, "tiny-probe"), Array.IndexOf(elements, "tiny-helper"),
            "dependencies come before their dependents");
    }

    [TestMethod]
    public void Build_PackageInstallsFilteredByArchAndWhen_InstalledPerPhase()
    {
        s_build.AssertSucceeded();
        var requests = ImageFiles.ReadFile(Raw, "/probe/packages").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[]
        {
            "update", // package-installs refreshes the lists of a tree that has none before pre-install.d's packages
            "install probe-pre-install",
            "install probe-always", "install probe-amd64-only", "install probe-when-set", "install probe-when-list",
            "remove probe-removed-later",
        }, requests, "requests: " + string.Join(" | ", requests));
    }

    [TestMethod]
    public void Build_ScriptWithDotInName_IsSkippedWithWarningNamingIt()
    {
        s_build.AssertSucceeded();
        var warning = s_build.Lines().FirstOrDefault(l => l.Contains("warning DIB2902", StringComparison.Ordinal));
        Assert.IsNotNull(warning, s_build.Output);
        StringAssert.Contains(warning, "60-never.sh");
        StringAssert.Contains(warning, "tiny-probe");
        Assert.IsFalse(ImageFiles.Exists(Raw, "/probe/dotted-script-ran"), "the dotted script must not run");
    }

    [TestMethod]
    public void Build_PrintsTimingTableAtTheEnd()
    {
        s_build.AssertSucceeded();
        var lines = s_build.Lines().Select(l => l.Trim()).ToList();
        var header = lines.FindIndex(l => l.StartsWith("Phase / script (element)", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, header, s_build.Output);
        CollectionAssert.IsSubsetOf(new[] { "root.d", "install.d", "cleanup.d" },
            lines.Skip(header).Select(l => l.Split(' ')[0]).ToList());
        Assert.IsTrue(lines.Skip(header).Any(l => l.StartsWith("50-probe-install (tiny-probe)", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Build_ChrootHasOwnDevProcReadOnlySysAndHooks()
    {
        s_build.AssertSucceeded();
        var sandbox = Lines(ImageFiles.ReadFile(Raw, "/probe/sandbox"));
        Assert.AreEqual("character special file", sandbox["dev-null"]);
        var devEntries = sandbox["dev-entries"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.IsSubsetOf(new[] { "null", "zero", "random", "urandom", "pts", "ptmx", "shm" }, devEntries);
        CollectionAssert.DoesNotContain(devEntries, "kvm", "the host's /dev must not be visible in the chroot");
        CollectionAssert.DoesNotContain(devEntries, "vda");
        Assert.AreEqual("read-only", sandbox["sys"]);
        StringAssert.StartsWith(sandbox["proc-pid1"], "50-probe-", "proc belongs to the script's own PID namespace, whose first process is the script");
        StringAssert.Contains(sandbox["hooks"], "install.d");
    }

    [TestMethod]
    public void Build_LeavesHostMountsLoopDevicesAndDevUnchanged()
    {
        s_build.AssertSucceeded();
        s_hostAfter.AssertUnchangedSince(s_hostBefore);
    }

    [TestMethod]
    public void Rebuild_WithNothingChanged_SkipsEveryImageTarget()
    {
        s_build.AssertSucceeded();
        s_rebuild.AssertSucceeded();
        foreach (var target in new[] { "_DibPlanStages", "_DibBlockDevice", "_DibConvert", "_DibManifests" })
            StringAssert.Contains(s_rebuild.Output, $"Skipping target \"{target}\" because all output files are up-to-date",
                $"{target} must be skipped on a no-op build");
        Assert.AreEqual(s_rawWrittenAt, File.GetLastWriteTimeUtc(Raw), "the image file is not rewritten");
        Assert.DoesNotContain("stage root:", s_rebuild.Output, "no stage is even planned");
    }

    private static Dictionary<string, string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);
}
