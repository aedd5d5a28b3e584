using System.Text;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The repository's sample samples/debian-ramdisk (debian-minimal, ramdisk, dynamic-login), built once through the
/// packed SDK with the iso format added, then booted in QEMU from its kernel and initramfs alone, with no disk
/// attached, to a root shell on the serial console, where what the running system says about itself is checked;
/// and its ISO booted four ways (SeaBIOS and OVMF, as a CD-ROM and as a disk) to a login prompt.
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
    private static BuildResult s_firstBuild = null!;
    private static BuildResult s_build = null!;
    private static Dictionary<string, DateTime> s_firstWrites = [];
    private static Dictionary<string, ProcessResultText>? s_probes;
    private static TimeSpan s_loginPrompt;
    private static Exception? s_bootError;
    private static Dictionary<string, (bool Reached, TimeSpan Elapsed, string Console)>? s_liveBoots;

    /// <summary>
    /// The ways the live image boots without the ramdisk's kernel being handed to QEMU: the hybrid ISO with each
    /// firmware as a CD-ROM and as a disk, and the iPXE script over QEMU's user-mode network, whose TFTP server serves
    /// the build's output folder. "{out}" stands for that folder.
    /// </summary>
    private static readonly (string Name, bool Uefi, string[] Arguments)[] LiveBootWays =
    [
        ("iso-bios-cdrom", false, ["-cdrom", "{out}/debian-ramdisk.iso", "-nic", "none"]),
        ("iso-bios-disk", false, ["-drive", "file={out}/debian-ramdisk.iso,format=raw,if=virtio,snapshot=on", "-nic", "none"]),
        ("iso-uefi-cdrom", true, ["-cdrom", "{out}/debian-ramdisk.iso", "-nic", "none"]),
        ("iso-uefi-disk", true, ["-drive", "file={out}/debian-ramdisk.iso,format=raw,if=virtio,snapshot=on", "-nic", "none"]),
        ("pxe-bios", false, ["-boot", "n", "-nic", "user,model=virtio-net-pci,tftp={out},bootfile=debian-ramdisk.ipxe"]),
        ("pxe-uefi", true, ["-boot", "n", "-nic", "user,model=virtio-net-pci,tftp={out},bootfile=debian-ramdisk.ipxe"]),
    ];

    private static string Output(string suffix) => Path.Combine(s_project.OutputDirectory(), "debian-ramdisk" + suffix);

    internal sealed record Built(ImageProject Project, BuildResult FirstBuild, Dictionary<string, DateTime> FirstWrites, BuildResult Build);

    /// <summary>The two builds; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<Built> Fixture = new("debian-ramdisk", () =>
    {
        var project = ImageProject.Create("debian-ramdisk", "", copyFrom: Path.Combine(Repository.Samples, "debian-ramdisk"));
        // First the network boot files, then the ISO added: the second build only writes the ISO.
        var first = project.Build("-p:ImageFormats=ipxe");
        if (!first.Succeeded)
            return new Built(project, first, [], first);
        var firstWrites = OutputTimes(project);
        return new Built(project, first, firstWrites, project.Build("-p:ImageFormats=iso%3Bipxe"));
    });

    [ClassInitialize]
    public static void BuildAndBootOnce(TestContext context)
    {
        _ = context;
        (s_project, s_firstBuild, s_firstWrites, s_build) = Fixture.Result;
        if (!s_build.Succeeded)
            return;
        try
        {
            s_probes = BootAndProbe();
            s_liveBoots = BootLiveEveryWay();
        }
        catch (Exception ex) when (ex is TimeoutException or AssertFailedException or InvalidOperationException or IOException
            or System.ComponentModel.Win32Exception)
        {
            s_bootError = ex;
        }
    }

    private static Dictionary<string, DateTime> OutputTimes(ImageProject project) =>
        Directory.EnumerateFiles(project.OutputDirectory()).ToDictionary(f => Path.GetFileName(f), File.GetLastWriteTimeUtc);

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

    /// <summary>The boots of <see cref="LiveBootWays"/>, two at a time (one emulated CPU each on the 2-core reference host).</summary>
    private static Dictionary<string, (bool Reached, TimeSpan Elapsed, string Console)> BootLiveEveryWay()
    {
        var profile = DiskImageBuilder.Host.ArchitectureProfile.For("amd64");
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, (bool, TimeSpan, string)>();
        Parallel.ForEach(LiveBootWays, new ParallelOptions { MaxDegreeOfParallelism = 2 }, way =>
        {
            var log = Path.Combine(s_project.Directory, $"{way.Name}-console.log");
            var arguments = way.Arguments.Select(a => a.Replace("{out}", s_project.OutputDirectory(), StringComparison.Ordinal)).ToList();
            if (way.Uefi)
            {
                var vars = log + ".uefi-vars.fd";
                File.Copy(profile.UefiVars!, vars, overwrite: true);
                arguments.AddRange(["-drive", $"if=pflash,format=raw,readonly=on,file={profile.UefiCode}", "-drive", $"if=pflash,format=raw,file={vars}"]);
            }
            using var machine = QemuSerialSession.StartDiskless(log, MemoryMiB, [.. arguments]);
            try
            {
                machine.WaitFor("login: ", TimeSpan.FromSeconds(300));
                results[way.Name] = (true, machine.Elapsed, machine.Transcript);
            }
            catch (TimeoutException)
            {
                results[way.Name] = (false, machine.Elapsed, machine.Transcript);
            }
        });
        return new(results);
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
        Assert.IsFalse(Directory.EnumerateFiles(s_project.OutputDirectory(), "*.raw").Any() || File.Exists(Output(".qcow2")),
            "no disk image next to a ramdisk built without the vm element");
        var size = s_build.Lines().FirstOrDefault(l => l.Contains("initramfs: ", StringComparison.Ordinal) && l.Contains("compressed", StringComparison.Ordinal));
        Assert.IsNotNull(size, "the build's log gives the initramfs's sizes");
        Console.WriteLine(size.Trim());
        Assert.IsTrue(s_build.Lines().Any(l => l.Contains("iso: ", StringComparison.Ordinal) && l.Contains("boots with BIOS and UEFI", StringComparison.Ordinal)),
            "the build's log gives the ISO's size");
    }

    [TestMethod]
    public void Build_IsoAddedToImageFormats_WritesOnlyTheIso()
    {
        s_firstBuild.AssertSucceeded();
        s_build.AssertSucceeded();
        CollectionAssert.AreEquivalent(new[] { "debian-ramdisk.kernel", "debian-ramdisk.initramfs", "debian-ramdisk.ipxe" },
            s_firstWrites.Keys.Where(f => !f.EndsWith(".sha256", StringComparison.Ordinal)).ToList(), "the first build: the network boot files");
        foreach (var (file, time) in s_firstWrites)
            Assert.AreEqual(time, File.GetLastWriteTimeUtc(Path.Combine(s_project.OutputDirectory(), file)), $"{file} was not written again");
        StringAssert.Contains(s_build.Output, "Skipping target \"_DibPlanStages\" because all output files are up-to-date", "no stage of the tree ran");
        Assert.IsTrue(File.Exists(Output(".iso")) && File.Exists(Output(".iso.sha256")), "the ISO and its checksum");
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

    [TestMethod]
    [DataRow("iso-bios-cdrom")]
    [DataRow("iso-bios-disk")]
    [DataRow("iso-uefi-cdrom")]
    [DataRow("iso-uefi-disk")]
    public void Iso_BootsLiveToLogin(string way)
    {
        var console = AssertLiveBootReachedLogin(way);
        StringAssert.Contains(console, "debian-ramdisk (live, from RAM)", "GRUB's menu of the ISO");
    }

    [TestMethod]
    [DataRow("pxe-bios")]
    [DataRow("pxe-uefi")]
    public void Ipxe_BootsOverTheNetworkFromTheOutputFolderToLogin(string way)
    {
        var console = AssertLiveBootReachedLogin(way);
        StringAssert.Contains(console, "tftp://10.0.2.2/debian-ramdisk.ipxe", "iPXE fetched the script from QEMU's TFTP server");
        Assert.AreEqual("""
            #!ipxe
            # Written by DiskImageBuilder.Sdk: boots debian-ramdisk live, from RAM, over the network.
            kernel debian-ramdisk.kernel initrd=debian-ramdisk.initramfs console=tty0 console=ttyS0,115200
            initrd debian-ramdisk.initramfs
            boot

            """, File.ReadAllText(Output(".ipxe")));
        Assert.IsTrue(File.Exists(Output(".ipxe") + ".sha256"), "the script has its checksum like every output");
    }

    private static string AssertLiveBootReachedLogin(string way)
    {
        s_build.AssertSucceeded();
        Assert.IsNotNull(s_liveBoots, $"the live boots did not run: {s_bootError}");
        var (reached, elapsed, console) = s_liveBoots[way];
        Console.WriteLine($"{way}: {(reached ? "login prompt" : "no login prompt")} after {elapsed.TotalSeconds:F0} s");
        Assert.IsTrue(reached, $"no login prompt booting {way}; last console lines:\n" + string.Join('\n', console.Split('\n').TakeLast(30)));
        return console;
    }

    [TestMethod]
    public void Iso_IsAHybridIso9660WithAnEfiSystemPartition()
    {
        s_build.AssertSucceeded();
        var header = new byte[6];
        using (var iso = File.OpenRead(Output(".iso")))
        {
            iso.Seek(16 * 2048 + 1, SeekOrigin.Begin);
            iso.ReadExactly(header, 0, 5);
        }
        Assert.AreEqual("CD001", System.Text.Encoding.ASCII.GetString(header, 0, 5), "an ISO 9660 primary volume descriptor at sector 16");
        var partitions = Command.RunChecked("sfdisk", "--dump", Output(".iso"));
        StringAssert.Contains(partitions, "type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "an EFI system partition for UEFI boot from a disk");
        var elTorito = Command.RunChecked("xorriso", "-indev", Output(".iso"), "-report_el_torito", "plain");
        StringAssert.Contains(elTorito, "El Torito boot img :   1  BIOS", "an El Torito BIOS boot image");
        StringAssert.Contains(elTorito, "El Torito boot img :   2  UEFI", "an El Torito UEFI boot image");
    }
}
