using System.Text;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The repository's sample samples/debian-ramdisk (debian-minimal, ramdisk, dynamic-login), built once through the
/// packed SDK, then booted in QEMU from its kernel and initramfs alone, with no disk attached, to a root shell on the
/// serial console; what the running system says about itself is checked there.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
[TestCategory(TestCategories.Qemu)]
public sealed class RamdiskBootTests
{
    /// <summary>The unpacked tree lives in a tmpfs of half the memory, beside the compressed file while it unpacks.</summary>
    private const int MemoryMiB = 2048;

    private static readonly string s_rootPassword = "Rd-" + Guid.NewGuid().ToString("N")[..16];
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static Dictionary<string, ProcessResultText>? s_probes;
    private static TimeSpan s_loginPrompt;
    private static Exception? s_bootError;

    private static string Output(string suffix) => Path.Combine(s_project.OutputDirectory(), "debian-ramdisk" + suffix);

    [ClassInitialize]
    public static void BuildAndBootOnce(TestContext context)
    {
        _ = context;
        s_project = ImageProject.Create("debian-ramdisk", "", copyFrom: Path.Combine(Repository.Samples, "debian-ramdisk"));
        s_build = s_project.Build();
        if (!s_build.Succeeded)
            return;
        try
        {
            s_probes = BootAndProbe();
        }
        catch (Exception ex) when (ex is TimeoutException or AssertFailedException or InvalidOperationException or IOException
            or System.ComponentModel.Win32Exception)
        {
            s_bootError = ex;
        }
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    private static Dictionary<string, ProcessResultText> BootAndProbe()
    {
        var hash = Command.RunChecked("openssl", "passwd", "-6", s_rootPassword).Trim();
        var append = $"console=ttyS0 systemd.journald.forward_to_console=0 rootpwd={Convert.ToBase64String(Encoding.ASCII.GetBytes(hash))}";
        using var machine = QemuSerialSession.StartDiskless(Path.Combine(s_project.Directory, "ramdisk-console.log"), MemoryMiB,
            "-kernel", Output(".kernel"), "-initrd", Output(".initramfs"), "-append", append, "-nic", "none");
        machine.WaitFor("login: ", TimeSpan.FromSeconds(300));
        s_loginPrompt = machine.Elapsed;
        Console.WriteLine($"ramdisk: login prompt after {s_loginPrompt.TotalSeconds:F0} s");
        machine.LogInAsRootOnceDynamicLoginRan(s_rootPassword);
        var probes = new Dictionary<string, ProcessResultText>(StringComparer.Ordinal);
        foreach (var (name, command) in new[]
                 {
                     ("root", "findmnt --noheadings --output FSTYPE,SOURCE /"),
                     ("disks", "ls /sys/block"),
                     ("state", "systemctl is-system-running --wait"),
                     ("failed", "systemctl list-units --state=failed --no-legend --plain | cat"),
                     ("kernel", "uname -r; ls /lib/modules"),
                     ("write", "echo ramdisk-write > /var/tmp/probe && cat /var/tmp/probe"),
                 })
            probes[name] = machine.Run(command, TimeSpan.FromSeconds(180));
        return probes;
    }

    private static string Probe(string name)
    {
        Assert.IsNotNull(s_probes, $"the ramdisk did not boot to a root shell: {s_bootError}");
        return s_probes[name].Output.Trim();
    }

    [TestMethod]
    public void Build_WritesKernelAndInitramfsWithChecksums_AndNoDisk()
    {
        s_build.AssertSucceeded();
        foreach (var suffix in new[] { ".kernel", ".initramfs" })
        {
            var bytes = File.ReadAllBytes(Output(suffix));
            StringAssert.StartsWith(File.ReadAllText(Output(suffix) + ".sha256"),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), suffix);
        }
        CollectionAssert.AreEqual(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, File.ReadAllBytes(Output(".initramfs"))[..4], "zstd");
        Assert.IsFalse(File.Exists(Output(".qcow2")), "no disk image next to a ramdisk built without the vm element");
        Assert.IsTrue(s_build.Lines().Any(l => l.Contains("ramdisk: the image runs from RAM; not writing qcow2", StringComparison.Ordinal)),
            "the log says why no qcow2 was written");
        var size = s_build.Lines().FirstOrDefault(l => l.Contains("initramfs: ", StringComparison.Ordinal) && l.Contains("compressed", StringComparison.Ordinal));
        Assert.IsNotNull(size, "the build's log gives the initramfs's sizes");
        Console.WriteLine(size.Trim());
    }

    [TestMethod]
    public void Boot_WithNoDisk_ReachesARootShellRunningFromRam()
    {
        s_build.AssertSucceeded();
        var root = Probe("root");
        Assert.IsTrue(root.StartsWith("rootfs", StringComparison.Ordinal) || root.StartsWith("tmpfs", StringComparison.Ordinal),
            $"/ is the kernel's RAM filesystem: {root}");
        var disks = Probe("disks").Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Assert.IsFalse(disks.Any(d => d.StartsWith("vd", StringComparison.Ordinal) || d.StartsWith("sd", StringComparison.Ordinal)),
            $"no disk: {string.Join(' ', disks)}");
        Assert.AreEqual("ramdisk-write", Probe("write"), "the root filesystem is writable");
    }

    [TestMethod]
    public void Boot_SystemdReachesItsTargetWithNoFailedUnit()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("", Probe("failed"), "no unit failed");
        StringAssert.EndsWith(Probe("state"), "running");
    }

    [TestMethod]
    public void Boot_RunsTheImagesOwnKernelWithItsModules()
    {
        s_build.AssertSucceeded();
        var lines = Probe("kernel").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.Contains(lines.Skip(1).ToList(), lines[0], "the modules of the running kernel are in the ramdisk");
        StringAssert.Contains(lines[0], "cloud-amd64", "debian-minimal's kernel (linux-image-cloud-amd64)");
    }
}
