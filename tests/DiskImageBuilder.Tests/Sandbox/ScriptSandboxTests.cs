using System.Diagnostics;
using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Sandbox;

/// <summary>
/// A chroot script runs as root, yet can reach neither the host's devices, kernel and network
/// settings nor, through a symbolic link it planted in the tree, the host's files. Real chroots of
/// a tree made of the host's own programs; every probe is harmless even where it succeeds.
/// </summary>
[TestClass]
[TestCategory(TestCategories.HostTools)]
public sealed class ScriptSandboxTests
{
    private const string Probe = """
        probe() { if "${@:2}" >/dev/null 2>&1; then echo "probe $1 allowed"; else echo "probe $1 denied"; fi; }
        same_value() { local v; v=$(cat "$1") && echo "$v" > "$1"; }
        probe mknod-block-device mknod /tmp/probe-sda b 8 0
        probe mknod-char-device mknod /tmp/probe-mem c 1 1
        rm -f /tmp/probe-sda /tmp/probe-mem
        probe write-proc-sys same_value /proc/sys/kernel/pid_max
        if [ -e /proc/sysrq-trigger ]; then probe write-sysrq-trigger test -w /proc/sysrq-trigger; fi
        mkdir -p /mnt
        probe mount mount -t tmpfs probe /mnt
        probe chroot chroot / /bin/bash -c true
        probe sethostname hostname "$(hostname)"
        probe device-node-in-tree bash -c 'echo > /probe-null'
        bnd=$(grep CapBnd /proc/self/status | cut -f2)
        for cap in dac_read_search:2 net_admin:12 net_raw:13 sys_module:16 sys_rawio:17 sys_chroot:18 sys_ptrace:19 sys_admin:21 sys_boot:22 sys_time:25 mknod:27; do
            if (( (16#$bnd >> ${cap#*:}) & 1 )); then echo "probe cap_${cap%:*} allowed"; else echo "probe cap_${cap%:*} denied"; fi
        done
        probe chown chown 1:1 /tmp/owned
        probe write-tree touch /tmp/written
        """;

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    public async Task RunInChroot_RootScript_CannotReachHostDevicesKernelSettingsOrLeaveTheChroot()
    {
        using var tree = new MiniChrootTree();
        File.WriteAllText(Path.Combine(tree.Root, "tmp", "owned"), "");
        // A device node inside the tree, as a tarball or a package could leave one: /dev/null's numbers.
        MakeNode(Path.Combine(tree.Root, "probe-null"), 'c', 1, 3);
        var log = new RecordingBuildLog();

        var result = await Run(tree, log, tree.AddScript("probe", Probe));

        Assert.AreEqual(0, result.ExitCode, string.Join('\n', log.Lines));
        var probes = log.Lines.Where(l => l.StartsWith("probe ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).ToDictionary(p => p[1], p => p[2]);
        var denied = new[]
        {
            "mknod-block-device", "mknod-char-device", "write-proc-sys", "mount", "chroot", "sethostname", "device-node-in-tree",
            "cap_dac_read_search", "cap_net_admin", "cap_net_raw", "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot",
            "cap_sys_ptrace", "cap_sys_admin", "cap_sys_boot", "cap_sys_time", "cap_mknod",
        };
        if (File.Exists("/proc/sysrq-trigger"))
            denied = [.. denied, "write-sysrq-trigger"];
        foreach (var name in denied)
            Assert.AreEqual("denied", probes.GetValueOrDefault(name), $"{name}:\n{string.Join('\n', log.Lines)}");
        Assert.AreEqual("allowed", probes["chown"], "package scripts still change owners");
        Assert.AreEqual("allowed", probes["write-tree"], "and write the tree");
        Assert.AreEqual("1:1", Tool("stat", "-c", "%u:%g", Path.Combine(tree.Root, "tmp", "owned")).Trim());
    }

    [TestMethod]
    public async Task RunInChroot_TreeTmpIsLinkToHostFolder_FailsWithDIB5050BeforeMountingAndLeavesTheHostFolder()
    {
        using var tree = new MiniChrootTree();
        var hostFolder = HostFolderWithEmptyMountPointNames(tree);
        Directory.Delete(Path.Combine(tree.Root, "tmp"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "tmp"), hostFolder);
        var log = new RecordingBuildLog();

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => Run(tree, log, "/bin/true"));

        Assert.AreEqual(ErrorCodes.TreePathIsLink, error.Code);
        StringAssert.Contains(error.Message, Path.Combine(tree.Root, "tmp"));
        StringAssert.Contains(error.Message, hostFolder);
        Assert.IsFalse(log.Lines.Any(l => l.StartsWith("Running:", StringComparison.Ordinal)), "nothing ran");
        AssertHostFolderUntouched(hostFolder);
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    public async Task RunInChroot_ScriptReplacesTmpWithLinkToHostFolder_FailsWithDIB5050AndLeavesTheHostFolder()
    {
        using var tree = new MiniChrootTree();
        var hostFolder = HostFolderWithEmptyMountPointNames(tree);
        var script = tree.AddScript("plant", $"mv /tmp /tmp.real && ln -s {hostFolder} /tmp\n");
        var log = new RecordingBuildLog();

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => Run(tree, log, script));

        Assert.AreEqual(ErrorCodes.TreePathIsLink, error.Code, string.Join('\n', log.Lines));
        StringAssert.Contains(error.Message, Path.Combine(tree.Root, "tmp"));
        AssertHostFolderUntouched(hostFolder);
    }

    [TestMethod]
    public async Task RunInChroot_CacheBindTargetThroughLinkToHost_FailsWithDIB5050AndCreatesNothingOnTheHost()
    {
        using var tree = new MiniChrootTree();
        var hostFolder = Directory.CreateDirectory(Path.Combine(tree.Folder, "host-side")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(tree.Folder, "cache", "apt")).FullName;
        File.CreateSymbolicLink(Path.Combine(tree.Root, "var"), hostFolder);
        File.WriteAllText(Path.Combine(tree.Hooks, "chroot-binds"), $"{cache} /var/cache/apt/archives\n");

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => Run(tree, new RecordingBuildLog(), "/bin/true",
            new Dictionary<string, string> { ["DIB_IMAGE_CACHE"] = Path.Combine(tree.Folder, "cache") }));

        Assert.AreEqual(ErrorCodes.TreePathIsLink, error.Code);
        StringAssert.Contains(error.Message, Path.Combine(tree.Root, "var"));
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(hostFolder).ToList(), "nothing is created in the host folder");
    }

    [TestMethod]
    public async Task RunInChroot_OwnCacheBind_EachBuildWritesItsOwnFolderOfLinksToTheSharedFiles()
    {
        using var tree = new MiniChrootTree();
        var cacheRoot = Path.Combine(tree.Folder, "cache");
        var shared = Directory.CreateDirectory(Path.Combine(cacheRoot, "apt", "debian-bookworm-amd64")).FullName;
        File.WriteAllText(Path.Combine(shared, "old_1_amd64.deb"), "downloaded by an earlier build");
        File.WriteAllText(Path.Combine(shared, "lock"), "");
        File.WriteAllText(Path.Combine(tree.Hooks, "chroot-binds"), $"{shared} /var/cache/apt/archives own *.deb\n");
        var script = tree.AddScript("download", "cat /var/cache/apt/archives/old_1_amd64.deb\necho fresh > \"/var/cache/apt/archives/$NEW_NAME\"\n");

        async Task<string> RunAs(string buildDir, string newName)
        {
            var log = new RecordingBuildLog();
            var result = await Run(tree, log, script, new Dictionary<string, string>
            {
                ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
                ["DIB_IMAGE_CACHE"] = cacheRoot,
                ["TMP_BUILD_DIR"] = buildDir,
                ["NEW_NAME"] = newName,
            });
            var output = string.Join('\n', log.Lines);
            Assert.AreEqual(0, result.ExitCode, output);
            StringAssert.Contains(output, "downloaded by an earlier build", "the shared package is in the tree");
            var own = Directory.GetDirectories(shared + ".builds").Single(d => File.Exists(Path.Combine(d, newName)));
            Assert.AreEqual(Tool("stat", "-c", "%i", Path.Combine(shared, "old_1_amd64.deb")), Tool("stat", "-c", "%i", Path.Combine(own, "old_1_amd64.deb")),
                "the build's folder holds a hard link to the shared package, not a copy");
            Assert.IsFalse(File.Exists(Path.Combine(own, "lock")), "apt's lock file is never shared: a link would be one lock for every build");
            return own;
        }

        var first = await RunAs("/work/a/obj/build", "new-a_1_amd64.deb");
        var second = await RunAs("/work/b/obj/build", "new-b_1_amd64.deb");

        Assert.AreNotEqual(first, second, "two builds never share the folder apt locks");
        Assert.IsFalse(File.Exists(Path.Combine(shared, "new-a_1_amd64.deb")), "new files reach the shared folder only through the element's cleanup");
        Assert.IsFalse(File.Exists(Path.Combine(second, "new-a_1_amd64.deb")), "one build's downloads are not in the other's folder");
    }

    private static Task<ProcessResult> Run(MiniChrootTree tree, RecordingBuildLog log, string script,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var sandbox = new ScriptSandbox(new ProcessRunner(log), new SandboxFiles(tree.Sandbox));
        return sandbox.RunInChrootAsync(tree.Root, tree.Hooks, script,
            environment ?? new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }, "", CancellationToken.None);
    }

    /// <summary>A folder outside the tree holding empty folders named like the sandbox's mount points, and a file.</summary>
    private static string HostFolderWithEmptyMountPointNames(MiniChrootTree tree)
    {
        var folder = Directory.CreateDirectory(Path.Combine(tree.Folder, "host-side")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "in_target.d"));
        Directory.CreateDirectory(Path.Combine(folder, "dib-sandbox"));
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "a file of the host");
        return folder;
    }

    private static void AssertHostFolderUntouched(string folder)
    {
        CollectionAssert.AreEquivalent(new[] { "dib-sandbox", "in_target.d", "keep.txt" },
            Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ToArray(), "the host folder's entries");
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Path.Combine(folder, "in_target.d")).ToList());
        Assert.AreEqual("a file of the host", File.ReadAllText(Path.Combine(folder, "keep.txt")));
    }

    private static void MakeNode(string path, char type, int major, int minor) =>
        Tool("mknod", path, type.ToString(), major.ToString(CultureInfo.InvariantCulture), minor.ToString(CultureInfo.InvariantCulture));

    private static string Tool(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', arguments)}");
        return output;
    }
}
