using System.Globalization;
using System.Text;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// diskimage-builder's everyday configuration elements in one Debian image, built once through the
/// packed SDK as a raw disk: the files, modes, enabled units and packages are read back with debugfs;
/// then the image boots in QEMU (its own kernel and initrd, given the kernel command line that
/// dynamic-login reads) and the boot-time elements are checked on the serial console.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
[TestCategory(TestCategories.Qemu)]
public sealed class EverydayElementsBootTests
{
    /// <summary>The elements that act at boot, checked on the booted machine.</summary>
    private static readonly string[] BootElements = ["dynamic-login", "runtime-ssh-host-keys", "enable-serial-console"];

    /// <summary>
    /// The elements checked in the image file only. They ride in the booted image to save a second Debian
    /// build; journal-to-console's forwarding is switched off on the kernel command line of the boot, so
    /// the journal does not write over the shell on the console.
    /// </summary>
    private static readonly string[] ImageElements =
    [
        "sysctl", "modprobe", "disable-nouveau", "journal-to-console", "dracut-regenerate", "select-boot-kernel-initrd",
        "cleanup-kernel-initrd", "dkms", "posix", "fail2ban", "autoupdates", "tpm-emulator", "dib-init-system", "baremetal", "everyday-probe",
    ];

    private const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEverydayElementsDynamicLoginTestKeyAAAAAAAA everyday@dib-sdk-test";
    private const string JailLocal = "[sshd]\nenabled = true\nmaxretry = 7\n";
    private const string UnattendedConf = "// everyday elements test\nUnattended-Upgrade::Origins-Pattern { \"origin=Debian,codename=${distro_codename}-security\"; };\n";

    private static readonly string s_rootPassword = "Ev-" + Guid.NewGuid().ToString("N")[..16];
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static HostSnapshot s_hostBefore = null!;
    private static HostSnapshot s_hostAfter = null!;
    private static Dictionary<string, ProcessResultText>? s_boot;
    private static Exception? s_bootError;

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "everyday.raw");

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build, HostSnapshot Before)> Fixture = new("everyday", () =>
    {
        var before = HostSnapshot.Take();
        var project = ImageProject.Create("everyday", $"""
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="debian-minimal" />
              <Element Include="vm" />
              {string.Join("\n  ", BootElements.Concat(ImageElements).Select(e => $"<Element Include=\"{e}\" />"))}
              <ElementEnvironment Include="DIB_MODPROBE_BLACKLIST" Value="floppy  pcspkr" />
              <ElementEnvironment Include="DIB_FAIL2BAN_CONF" Value="$(MSBuildProjectDirectory)/jail.local" />
              <ElementEnvironment Include="DIB_DEB_UPDATES_CONF" Value="$(MSBuildProjectDirectory)/50unattended-upgrades" />
            </ItemGroup>
            """);
        project.AddTestElement("everyday-probe");
        File.WriteAllText(Path.Combine(project.Directory, "jail.local"), JailLocal);
        File.WriteAllText(Path.Combine(project.Directory, "50unattended-upgrades"), UnattendedConf);
        return (project, project.Build(), before);
    });

    [ClassInitialize]
    public static void BuildAndBootOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build, s_hostBefore) = Fixture.Result;
        if (s_build.Succeeded)
        {
            try
            {
                s_boot = BootAndProbe();
            }
            catch (Exception ex) when (ex is TimeoutException or AssertFailedException or InvalidOperationException or IOException
                or System.ComponentModel.Win32Exception)
            {
                s_bootError = ex;
            }
        }
        s_hostAfter = HostSnapshot.Take();
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    /// <summary>
    /// Boots the image's own kernel and initrd with GRUB's command line plus dynamic-login's rootpwd and
    /// sshkey, and a second serial port, logs in as root with the password dynamic-login set, and probes.
    /// </summary>
    private static Dictionary<string, ProcessResultText> BootAndProbe()
    {
        // baremetal's outputs: booting them is what they are for.
        var (kernel, initrd) = (Output("vmlinuz"), Output("initrd"));
        var grubLine = ImageFiles.ReadFile(Raw, "/boot/grub/grub.cfg").Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith("linux ", StringComparison.Ordinal));
        var grubArguments = string.Join(' ', grubLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2));
        var hash = Command.RunChecked("openssl", "passwd", "-6", s_rootPassword).Trim();
        var append = $"{grubArguments} systemd.journald.forward_to_console=0 " +
            $"rootpwd={Convert.ToBase64String(Encoding.ASCII.GetBytes(hash))} sshkey=\"{SshKey}\"";

        var overlay = Path.Combine(s_project.Directory, "boot-overlay.qcow2");
        Command.RunChecked("qemu-img", "create", "-q", "-f", "qcow2", "-b", Raw, "-F", "raw", overlay);
        using var machine = QemuSerialSession.Start(overlay, "qcow2", Path.Combine(s_project.Directory, "boot-console.log"),
            "-kernel", kernel, "-initrd", initrd, "-append", append, "-serial", "null", "-nic", "none");
        machine.WaitFor("login: ", TimeSpan.FromSeconds(300));
        machine.LogInAsRootOnceDynamicLoginRan(s_rootPassword);
        var results = new Dictionary<string, ProcessResultText>(StringComparer.Ordinal);
        foreach (var (name, command) in new[]
                 {
                     // A oneshot without RemainAfterExit: once done it is inactive, with its result.
                     ("dynamic-login", "systemctl show -p Result -p ExecMainStatus dynamic-login.service"),
                     ("authorized_keys", "cat /root/.ssh/authorized_keys; stat -c '%a %U' /root/.ssh /root/.ssh/authorized_keys"),
                     // RSA keys take a while under emulation.
                     ("ssh-keygen", "for i in $(seq 150); do systemctl is-active --quiet ssh && break; sleep 1; done; systemctl is-active ssh-keygen.service ssh.service"),
                     ("hostkeys", "ls /etc/ssh/ | grep ssh_host_"),
                     ("ttyS1", "systemctl is-active serial-getty@ttyS1.service; cat /sys/class/tty/ttyS1/type"),
                     ("ttyS0", "systemctl list-units --no-legend --plain 'serial-getty@*' 'getty@ttyS*' | cat"),
                 })
            results[name] = machine.Run(command, TimeSpan.FromSeconds(180));
        return results;
    }

    /// <summary>Copies the one /boot file whose name starts with <paramref name="prefix"/> out of the image.</summary>
    private static string Output(string extension) => Path.Combine(s_project.OutputDirectory(), "everyday." + extension);

    [TestMethod]
    public void Baremetal_WritesTheImagesKernelAndInitrdBesideIt_WithChecksums()
    {
        s_build.AssertSucceeded();
        foreach (var (extension, prefix) in new[] { ("vmlinuz", "vmlinuz-"), ("initrd", "initrd.img-") })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Extract(prefix)), File.ReadAllBytes(Output(extension)),
                $"everyday.{extension} is the image's /boot/{prefix}*");
            var sha256 = File.ReadAllText(Output(extension) + ".sha256");
            StringAssert.StartsWith(sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Output(extension)))));
        }
        Assert.IsNotNull(s_boot, "the machine booted from them: " + s_bootError);
    }

    private static string Extract(string prefix)
    {
        var name = BootFiles().Single(n => n.StartsWith(prefix, StringComparison.Ordinal));
        var target = Path.Combine(s_project.Directory, name);
        Command.RunChecked("debugfs", "-R", $"dump /boot/{name} {target}", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        return target;
    }

    private static IEnumerable<string> BootFiles() => Listing("/boot").Select(e => e.Name);

    /// <summary>debugfs's parseable listing of a folder: name, mode (octal, with the file type), owner.</summary>
    private static IEnumerable<(string Name, string Mode, int Uid)> Listing(string directory) =>
        Command.StandardOutput("debugfs", "-R", $"ls -p {directory}", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}")
            .Split('\n').Select(l => l.Split('/')).Where(f => f.Length >= 6 && f[5] is not ("." or ".." or ""))
            .Select(f => (f[5], f[2], int.Parse(f[3], CultureInfo.InvariantCulture)));

    private static string ModeOf(string path)
    {
        var entry = Listing(Path.GetDirectoryName(path)!).Where(e => e.Name == Path.GetFileName(path)).ToList();
        Assert.HasCount(1, entry, $"{path} is in the image");
        Assert.AreEqual(0, entry[0].Uid, $"{path} belongs to root");
        return entry[0].Mode;
    }

    private static string Read(string path) => ImageFiles.ReadFile(Raw, path);

    private static bool Exists(string path) => ImageFiles.Exists(Raw, path);

    private static HashSet<string> InstalledPackages() =>
        [.. Read("/var/lib/dpkg/status").Split("\n\n").Where(s => s.Contains("\nStatus: install ok installed", StringComparison.Ordinal))
            .Select(s => s.Split('\n')[0]["Package: ".Length..])];

    private static string Probe(string name)
    {
        s_build.AssertSucceeded();
        if (s_boot is null)
            Assert.Fail($"The image did not boot to a root shell: {s_bootError}");
        var result = s_boot[name];
        Assert.AreEqual(0, result.ExitCode, $"'{name}' failed on the booted machine:\n{result.Output}");
        return result.Output;
    }

    [TestMethod]
    public void Build_SucceedsWithCleanFilesystemAndLeavesTheHostAlone()
    {
        s_build.AssertSucceeded();
        ImageFiles.AssertFilesystemClean(Raw);
        s_hostAfter.AssertUnchangedSince(s_hostBefore);
    }

    [TestMethod]
    public void Sysctl_HelpersWriteOneFilePerKey()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("# This file was created by diskimage-builder.\nnet.ipv4.ip_forward = 1\n", Read("/etc/sysctl.d/net.ipv4.ip_forward.conf"),
            "sysctl-set-value, called twice with the same value");
        Assert.AreEqual("# everyday-probe test element\nvm.swappiness = 10\n", Read("/etc/sysctl.d/vm.swappiness.conf"));
        Assert.AreEqual("100644", ModeOf("/etc/sysctl.d/net.ipv4.ip_forward.conf"));
        Assert.AreEqual("100755", ModeOf("/usr/local/bin/sysctl-set-value"));
    }

    [TestMethod]
    public void Modprobe_BlacklistAndEveryElementsModprobeFiles()
    {
        s_build.AssertSucceeded();
        StringAssert.EndsWith(Read("/etc/modprobe.d/blacklist.conf"), "blacklist floppy\nblacklist pcspkr\n", "DIB_MODPROBE_BLACKLIST, blank-separated");
        Assert.AreEqual("options loop max_loop=8\n", Read("/etc/modprobe.d/everyday-probe.conf"), "the test element's modprobe.d file");
        Assert.AreEqual("blacklist nouveau\noptions nouveau modeset=0\n", Read("/etc/modprobe.d/disable-nouveau.conf"), "disable-nouveau");
        Assert.AreEqual("100644", ModeOf("/etc/modprobe.d/disable-nouveau.conf"));
    }

    [TestMethod]
    public void DracutRegenerate_RebuildsTheInitrdWithDracutAndItsModules()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("omit_drivers+=\" nouveau \"\n", Read("/etc/dracut.conf.d/disable-nouveau.conf"), "disable-nouveau's dracut file");
        var packages = InstalledPackages();
        foreach (var package in new[] { "dracut", "cryptsetup", "lvm2", "python3-yaml" })
            Assert.Contains(package, packages, $"{package} is installed");
        Assert.DoesNotContain("initramfs-tools", packages, "dracut replaced initramfs-tools");
        var initrd = BootFiles().Single(n => n.StartsWith("initrd.img-", StringComparison.Ordinal));
        var copy = Path.Combine(s_project.Directory, "dracut-check.img");
        Command.RunChecked("debugfs", "-R", $"dump /boot/{initrd} {copy}", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        var archive = InitrdArchive(copy);
        StringAssert.Contains(archive, "usr/lib/dracut/", $"{initrd} was made by dracut");
        StringAssert.Contains(archive, "usr/lib/dracut-crypt-lib.sh", "dracut's crypt module is in");
        StringAssert.Contains(archive, "usr/sbin/lvm", "dracut's lvm module brought lvm");
    }

    /// <summary>The cpio archive of an initrd, decompressed with the host's gzip, zstd or xz, as Latin-1 text (file names are plain in it).</summary>
    private static string InitrdArchive(string initrd)
    {
        var bytes = File.ReadAllBytes(initrd);
        var formats = new (byte[] Magic, string Tool)[] { ([0x28, 0xB5, 0x2F, 0xFD], "zstd"), ([0x1F, 0x8B, 0x08], "gzip"), ([0xFD, 0x37, 0x7A, 0x58, 0x5A], "xz") };
        foreach (var (magic, tool) in formats)
        {
            var at = bytes.AsSpan().IndexOf(magic);
            if (at < 0)
                continue;
            var compressed = initrd + "." + tool;
            File.WriteAllBytes(compressed, bytes[at..]);
            var result = Command.Run("sh", ["-c", $"{tool} -dc < '{compressed}' > '{compressed}.cpio'; test -s '{compressed}.cpio'"]);
            if (result.ExitCode == 0)
                return Encoding.Latin1.GetString(File.ReadAllBytes(compressed + ".cpio"));
        }
        Assert.Fail($"{initrd} is not compressed with zstd, gzip or xz");
        return "";
    }

    [TestMethod]
    public void CleanupKernelInitrd_LeavesOnlyTheBootKernelsFiles()
    {
        s_build.AssertSucceeded();
        var boot = BootFiles().ToList();
        Assert.IsEmpty(boot.Where(n => n.Contains("everyday-old", StringComparison.Ordinal)), "the older kernel's files are gone: " + string.Join(", ", boot));
        Assert.HasCount(1, boot.Where(n => n.StartsWith("vmlinuz-", StringComparison.Ordinal)), "one kernel stays");
        Assert.HasCount(1, boot.Where(n => n.StartsWith("initrd.img-", StringComparison.Ordinal)), "with its initrd");
    }

    [TestMethod]
    public void JournalToConsole_ForwardsTheJournal()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("[Journal]\nForwardToConsole=true\n", Read("/etc/systemd/journald.conf.d/log-to-console.conf"));
    }

    [TestMethod]
    public void EnableSerialConsole_UdevRuleStartsAGettyPerSerialPort()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(Read("/etc/udev/rules.d/99-serial-console.rules"), "ENV{SYSTEMD_WANTS}+=\"serial-getty@$name.service\", ATTRS{type}==\"4\"");
        Assert.AreEqual("100644", ModeOf("/etc/udev/rules.d/99-serial-console.rules"));
    }

    [TestMethod]
    public void DibInitSystem_InstallsEveryElementsSystemdUnitsAndItsTool()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(Read("/usr/lib/systemd/system/everyday-probe.service"), "Description=everyday-probe test element");
        Assert.AreEqual("100644", ModeOf("/usr/lib/systemd/system/everyday-probe.service"));
        Assert.AreEqual("100644", ModeOf("/usr/lib/systemd/system/dynamic-login.service"));
        Assert.AreEqual("#!/bin/bash\necho systemd\n", Read("/usr/local/bin/dib-init-system"));
        Assert.AreEqual("100775", ModeOf("/usr/local/bin/dib-init-system"));
    }

    [TestMethod]
    public void Services_OfTheElementsAreEnabled()
    {
        s_build.AssertSucceeded();
        foreach (var unit in new[] { "dynamic-login.service", "ssh-keygen.service", "fail2ban.service", "unattended-upgrades.service", "tpm_server.service", "ssh.service" })
            Assert.IsTrue(Exists($"/etc/systemd/system/multi-user.target.wants/{unit}"), $"{unit} is enabled");
        var abrmd = Command.StandardOutput("debugfs", "-R", "ls -p /etc/systemd/system", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        StringAssert.Contains(abrmd, "/tpm2-abrmd.service.d/", "tpm2-abrmd has its drop-in folder");
        StringAssert.Contains(Read("/etc/systemd/system/tpm2-abrmd.service.d/10-tcti-emulator.conf"), "ExecStart=/usr/sbin/tpm2-abrmd --tcti=swtpm");
        Assert.AreEqual("[Unit]\nConditionPathExistsGlob=\n", string.Join('\n', Read("/etc/systemd/system/tpm2-abrmd.service.d/20-remove-conditionpathexistsglob.conf")
            .Split('\n').Where(l => !l.StartsWith('#'))));
        StringAssert.Contains(Read("/usr/lib/systemd/system/tpm_server.service"), "ExecStart=/usr/bin/swtpm socket --tpm2");
    }

    [TestMethod]
    public void Packages_OfTheElementsAreInstalled()
    {
        s_build.AssertSucceeded();
        var packages = InstalledPackages();
        foreach (var package in new[]
                 {
                     "fail2ban", "unattended-upgrades", "dkms", "tpm2-abrmd", "tpm2-tools", "swtpm", "libtss2-tcti-swtpm0", "openssh-client",
                     // posix: a sample of the utilities' packages.
                     "gcc", "bc", "pax", "m4", "uucp", "cssc", "fort77", "sharutils", "vim", "at", "cups-client",
                 })
            Assert.Contains(package, packages, $"{package} is installed");
    }

    [TestMethod]
    public void Fail2banAndAutoupdates_UseTheBuildHostsConfigurationFiles()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(JailLocal, Read("/etc/fail2ban/jail.local"), "DIB_FAIL2BAN_CONF");
        Assert.AreEqual(UnattendedConf, Read("/etc/apt/apt.conf.d/50unattended-upgrades"), "DIB_DEB_UPDATES_CONF survives the package's install");
    }

    [TestMethod]
    public void RuntimeSshHostKeys_ImageHasNoHostKeysButTheScriptThatMakesThem()
    {
        s_build.AssertSucceeded();
        Assert.IsEmpty(Listing("/etc/ssh").Where(e => e.Name.StartsWith("ssh_host_", StringComparison.Ordinal)), "no host key of the build ships");
        Assert.AreEqual("100755", ModeOf("/usr/local/sbin/runtime-ssh-host-keys.sh"));
        Assert.AreEqual("100755", ModeOf("/usr/local/bin/dynamic-login"));
        Assert.IsFalse(Exists("/etc/systemd/system/sshd-keygen.service"), "openssh-server no longer writes a unit of its own");
    }

    [TestMethod]
    public void Boot_DynamicLoginSetsRootsPasswordAndSshKeyFromTheKernelCommandLine()
    {
        // The root shell itself proves the password: the image's root account is locked.
        CollectionAssert.AreEquivalent(new[] { "Result=success", "ExecMainStatus=0" }, Probe("dynamic-login").Split('\n').Select(l => l.Trim()).ToArray(),
            "dynamic-login.service ran and succeeded");
        var keys = Probe("authorized_keys").Split('\n');
        Assert.AreEqual(SshKey, keys[0].Trim());
        CollectionAssert.AreEqual(new[] { "700 root", "600 root" }, keys[1..].Select(l => l.Trim()).ToArray());
    }

    [TestMethod]
    public void Boot_RuntimeSshHostKeysMakesTheKeysBeforeSshdStarts()
    {
        CollectionAssert.AreEqual(new[] { "active", "active" }, Probe("ssh-keygen").Split('\n').Select(l => l.Trim()).ToArray());
        var keys = Probe("hostkeys");
        foreach (var type in new[] { "rsa", "ecdsa", "ed25519" })
            StringAssert.Contains(keys, $"ssh_host_{type}_key.pub", $"{type} host key");
    }

    [TestMethod]
    public void Boot_EnableSerialConsoleStartsAGettyOnTheSecondSerialPort()
    {
        var lines = Probe("ttyS1").Split('\n').Select(l => l.Trim()).ToArray();
        CollectionAssert.AreEqual(new[] { "active", "4" }, lines, "the udev rule started serial-getty@ttyS1 on the 16550A port");
        var gettys = Probe("ttyS0");
        Assert.DoesNotContain("getty@ttyS0.service ", gettys.Replace("serial-getty@", "serial-", StringComparison.Ordinal),
            "no second getty competes with serial-getty@ttyS0 on the console port");
    }
}
