using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// A cloud-style image (debian, vm, devuser, growroot, cloud-init-disable-resizefs, dhcp-all-interfaces, install-static and a test
/// element with a static/ tree), built once through the packed SDK and read back with debugfs; booted
/// in QEMU from a 4 GiB overlay with a user-mode NIC and no cloud data source, and driven on the serial
/// console as the development user; and booted once more with a NoCloud seed and no network.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
[TestCategory(TestCategories.Qemu)]
public sealed partial class CloudImageTests
{
    private const string User = "ci";
    private const string StaticConf = "dib-static-probe.conf";
    private const string StaticScript = "dib-static-probe";
    private const string AuthorizedKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDibSdkCloudImageTestKeyOnlyForTheTestAAAA ci@dib-sdk-test";
    // A wait for a network or metadata service that is not there takes minutes (systemd-networkd-wait-online gives up after
    // 120 s, cloud-init's metadata lookups after 50 s each); an emulated boot that waits for none takes 40 to 70 s on a quiet
    // 2-core host and up to about 105 s while builds run beside it (seen). The budget tells the two apart with room for load.
    private static readonly TimeSpan LoginBudget = TimeSpan.FromSeconds(150);

    // The password travels in the environment of dotnet build, never in the project: MSBuild writes
    // project items and the project file itself into the binary log.
    private static readonly string s_password = "Ci-" + Guid.NewGuid().ToString("N")[..20];

    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static TimeSpan s_buildTime;
    private static HostSnapshot s_hostBefore = null!;
    private static HostSnapshot s_hostAfter = null!;
    private static Boot? s_boot;
    private static Exception? s_bootError;

    private static string Image(string format) => Path.Combine(s_project.OutputDirectory(), $"cloud-image.{format}");

    private static string Raw => Image("raw");

    /// <summary>What the booted machine showed: when the login prompt came, and each command's result.</summary>
    private sealed record Boot(TimeSpan LoginPrompt, IReadOnlyDictionary<string, ProcessResultText> Commands);

    internal sealed record Built(ImageProject Project, BuildResult Build, TimeSpan BuildTime, HostSnapshot HostBefore);

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<Built> Fixture = new("cloud-image", BuildImage);

    private static Built BuildImage()
    {
        var hostBefore = HostSnapshot.Take();
        // Made as a user makes one: `dotnet new imgproj --os debian --layout mbr` (debian, vm, block-device-mbr and the
        // template's motd element), then this test's elements.
        // The cloud elements and every cloud package format ride on this build (CloudImageTests.Targets.cs checks them).
        var project = ImageProject.CreateFromTemplate("cloud-image", "--os", "debian", "--layout", "mbr",
            "--formats", "qcow2;raw;" + CloudFormats);
        project.AddToProject("""
            <ItemGroup>
              <Element Include="devuser" />
              <Element Include="growroot" />
              <Element Include="cloud-init-disable-resizefs" />
              <Element Include="dhcp-all-interfaces" />
              <Element Include="install-static" />
              <Element Include="static-probe" />
              <Element Include="ec2" />
              <Element Include="azure" />
              <Element Include="gce" />
              <Element Include="vagrant" />
              <ElementEnvironment Include="DIB_DEV_USER_USERNAME" Value="ci" />
              <ElementEnvironment Include="DIB_DEV_USER_PWDLESS_SUDO" Value="yes" />
              <ElementEnvironment Include="DIB_DEV_USER_SHELL" Value="/bin/bash" />
              <ElementEnvironment Include="DIB_DEV_USER_GROUPS" Value="adm, users" />
              <ElementEnvironment Include="DIB_DEV_USER_AUTHORIZED_KEYS" Value="$(MSBuildProjectDirectory)/ci-key.pub" />
            </ItemGroup>
            """);
        project.AddToProject(CloudProperties);
        File.WriteAllText(Path.Combine(project.Directory, "ci-key.pub"), AuthorizedKey + "\n");
        project.AddTestElement("static-probe");
        // Unusual modes and a foreign owner, so the image shows which of them install-static keeps.
        var staticTree = Path.Combine(project.Directory, "elements", "static-probe", "static");
        File.SetUnixFileMode(Path.Combine(staticTree, "etc", StaticConf),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(Path.Combine(staticTree, "usr", "local", "sbin", StaticScript),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        Command.RunChecked("chown", "-R", "1234:1234", staticTree);

        project.Environment["DIB_DEV_USER_PASSWORD"] = s_password;
        var watch = Stopwatch.StartNew();
        var build = project.Build();
        return new Built(project, build, watch.Elapsed, hostBefore);
    }

    [ClassInitialize]
    public static void BuildAndBootOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build, s_buildTime, s_hostBefore) = Fixture.Result;
        if (s_build.Succeeded)
        {
            try
            {
                s_boot = BootAndLogIn();
            }
            catch (Exception ex) when (ex is TimeoutException or AssertFailedException or InvalidOperationException or IOException
                or System.ComponentModel.Win32Exception)
            {
                s_bootError = ex;
            }
        }
        s_hostAfter = HostSnapshot.Take();
        File.WriteAllText(Path.Combine(s_project.Directory, "timings.txt"),
            $"build: {s_buildTime.TotalSeconds:F1} s\nlogin prompt: {s_boot?.LoginPrompt.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "-"} s\n");
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    /// <summary>
    /// Boots a 4 GiB overlay of the qcow2 (room for growroot) with a NIC on QEMU's user network, whose
    /// port 22 is forwarded to a free port of the host, logs in and probes; then scans sshd's host key from the host.
    /// </summary>
    private static Boot BootAndLogIn()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sshPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return BootOverlay("boot", ["-nic", $"user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:{sshPort}-:22"], [
            ("whoami", "id -un; id -Gn"),
            ("sudo", "sudo -n true && echo SUDO-OK"),
            // growroot runs beside the boot; starting it again waits for the first run to end.
            ("growroot", "sudo -n systemctl start growroot.service && sudo -n systemctl is-active growroot.service"),
            ("df", "df -B1 /"),
            // Host keys come from a unit at first boot; RSA takes a while under emulation.
            ("ssh", "for i in $(seq 150); do sudo -n systemctl is-active --quiet ssh && break; sleep 1; done; sudo -n systemctl is-active ssh"),
            ("hostkeys", "ls /etc/ssh/"),
            ("ipv4", "ip -4 -o addr show"),
            ("cloud-init", "cloud-init status; sudo -n systemctl is-enabled cloud-init.service"),
            ("static", $"sudo -n /usr/local/sbin/{StaticScript}"),
            ("ed25519", "cat /etc/ssh/ssh_host_ed25519_key.pub"),
            .. CloudProbes,
        ], results => results["keyscan"] = Command.Run("ssh-keyscan", ["-T", "30", "-p", sshPort.ToString(CultureInfo.InvariantCulture),
            "-t", "ed25519", "127.0.0.1"], includeStandardError: false));
    }

    /// <summary>
    /// Boots a fresh 4 GiB overlay of the image with <paramref name="qemuArguments"/>, logs in as the
    /// user and runs <paramref name="probes"/> in order, then <paramref name="fromHost"/> while the machine
    /// still runs; QEMU is gone when this returns.
    /// </summary>
    private static Boot BootOverlay(string name, string[] qemuArguments, (string Name, string Command)[] probes,
        Action<Dictionary<string, ProcessResultText>>? fromHost = null)
    {
        var overlay = Path.Combine(s_project.Directory, $"{name}-overlay.qcow2");
        Command.RunChecked("qemu-img", "create", "-q", "-f", "qcow2", "-b", Image("qcow2"), "-F", "qcow2", overlay, "4G");
        using var machine = QemuSerialSession.Start(overlay, "qcow2", Path.Combine(s_project.Directory, $"{name}-console.log"), qemuArguments);
        machine.WaitFor("login: ", TimeSpan.FromSeconds(300));
        var loginPrompt = machine.Elapsed;
        machine.LogIn(User, s_password, TimeSpan.FromSeconds(60));
        var commands = new Dictionary<string, ProcessResultText>(StringComparer.Ordinal);
        foreach (var (probe, command) in probes)
            commands[probe] = machine.Run(command, TimeSpan.FromSeconds(180));
        fromHost?.Invoke(commands);
        return new Boot(loginPrompt, commands);
    }

    private static Boot Booted()
    {
        s_build.AssertSucceeded();
        if (s_boot is null)
            Assert.Fail($"The image did not boot to a usable shell: {s_bootError}");
        return s_boot;
    }

    private static string Probe(string name) => Output(Booted(), name);

    private static string Output(Boot boot, string probe)
    {
        var result = boot.Commands[probe];
        Assert.AreEqual(0, result.ExitCode, $"'{probe}' failed on the booted machine:\n{result.Output}");
        return result.Output;
    }

    /// <summary>Mode (octal, with the file type), owner and group of a directory entry, from debugfs's parseable listing (/inode/mode/uid/gid/name/size/).</summary>
    private static (string Mode, int Uid, int Gid) Entry(string directory, string name)
    {
        var listing = Command.StandardOutput("debugfs", "-R", $"ls -p {directory}", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        foreach (var line in listing.Split('\n'))
        {
            var fields = line.Split('/');
            if (fields.Length >= 6 && fields[5] == name)
                return (fields[2], int.Parse(fields[3], CultureInfo.InvariantCulture), int.Parse(fields[4], CultureInfo.InvariantCulture));
        }
        Assert.Fail($"{directory}/{name} is not in the image:\n{listing}");
        return default;
    }

    private static string[] Lines(string output) => [.. output.Split('\n').Select(l => l.Trim())];

    [TestMethod]
    public void Build_SucceedsWithCleanRootFilesystem()
    {
        s_build.AssertSucceeded();
        Console.WriteLine($"build: {s_buildTime.TotalSeconds:F0} s");
        ImageFiles.AssertFilesystemClean(Raw);
    }

    [TestMethod]
    public void BuildAndBoot_LeaveNoMountLoopDeviceOrQemuBehind()
    {
        s_build.AssertSucceeded();
        // The host is shared with other jobs, whose mounts come and go meanwhile: only what lies under
        // this project's folder can be this build's.
        Assert.IsEmpty(s_hostAfter.Mounts.Except(s_hostBefore.Mounts).Where(m => m.Contains(s_project.Directory, StringComparison.Ordinal)),
            "mounts left behind");
        Assert.IsEmpty(s_hostAfter.LoopDevices.Except(s_hostBefore.LoopDevices).Where(l => l.Contains(s_project.Directory, StringComparison.Ordinal)),
            "loop devices left behind");
        CollectionAssert.AreEquivalent(s_hostBefore.DevEntries.ToList(), s_hostAfter.DevEntries.ToList(), "owner, group and mode of /dev entries");
        var qemus = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")); } catch (IOException) { return ""; } })
            .Where(c => c.Contains(s_project.Directory, StringComparison.Ordinal));
        Assert.IsEmpty(qemus, "processes of the boot left behind");
    }

    [TestMethod]
    public void Build_PasswordIsInNeitherTheBuildLogNorTheBinaryLog()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(s_build.Output, "devuser: password set for ci", "the password was given to the build");
        Assert.DoesNotContain(s_password, s_build.Output, "console output");
        foreach (var log in Directory.EnumerateFiles(s_project.Directory, "*.log"))
            Assert.DoesNotContain(s_password, File.ReadAllText(log), log);

        var binlog = BinaryLogContent.Read(s_build.BinaryLog);
        Assert.IsTrue(binlog.EmbeddedFiles.Keys.Any(k => k.EndsWith("cloud-image.imgproj", StringComparison.Ordinal)),
            "the binary log embeds the project file, so the search below covers embedded files");
        Assert.IsNotEmpty(binlog.PlacesOf("DIB_DEV_USER_PWDLESS_SUDO"), "the search finds what is in the log");
        var places = binlog.PlacesOf(s_password);
        Assert.IsEmpty(places, $"the password is in the binary log: {string.Join(", ", places)}");
    }

    [TestMethod]
    public void Build_DevUserHasShellGroupsHashedPasswordSudoAndKeys()
    {
        s_build.AssertSucceeded();
        var passwd = ImageFiles.ReadFile(Raw, "/etc/passwd").Split('\n').SingleOrDefault(l => l.StartsWith(User + ":", StringComparison.Ordinal));
        Assert.IsNotNull(passwd, "the user is in /etc/passwd");
        Assert.AreEqual($"/home/{User}", passwd.Split(':')[5]);
        Assert.AreEqual("/bin/bash", passwd.Split(':')[6], "DIB_DEV_USER_SHELL");
        var groups = ImageFiles.ReadFile(Raw, "/etc/group").Split('\n');
        foreach (var group in new[] { "adm", "users" })
        {
            var line = groups.Single(l => l.StartsWith(group + ":", StringComparison.Ordinal));
            CollectionAssert.Contains(line.Split(':')[3].Split(','), User, $"DIB_DEV_USER_GROUPS: {line}");
        }

        var shadow = ImageFiles.ReadFile(Raw, "/etc/shadow");
        Assert.DoesNotContain(s_password, shadow, "only the password's hash is stored");
        var hash = shadow.Split('\n').Single(l => l.StartsWith(User + ":", StringComparison.Ordinal)).Split(':')[1];
        StringAssert.StartsWith(hash, "$", "the user has a password hash");

        Assert.AreEqual($"{User} ALL=(ALL) NOPASSWD:ALL", ImageFiles.ReadFile(Raw, "/etc/sudoers.d/devuser").Trim());
        Assert.AreEqual(("100440", 0, 0), Entry("/etc/sudoers.d", "devuser"));
        Assert.IsTrue(ImageFiles.Exists(Raw, "/usr/bin/sudo"), "sudo is installed");

        Assert.AreEqual(AuthorizedKey, ImageFiles.ReadFile(Raw, $"/home/{User}/.ssh/authorized_keys").Trim());
        var (mode, uid, _) = Entry($"/home/{User}/.ssh", "authorized_keys");
        Assert.AreEqual("100600", mode);
        Assert.AreEqual(int.Parse(passwd.Split(':')[2], CultureInfo.InvariantCulture), uid, "the user owns authorized_keys");
    }

    [TestMethod]
    public void Build_StaticFilesAreOwnedByRootWithTheirModes()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(("100640", 0, 0), Entry("/etc", StaticConf));
        Assert.AreEqual(("100750", 0, 0), Entry("/usr/local/sbin", StaticScript));
        StringAssert.Contains(ImageFiles.ReadFile(Raw, $"/etc/{StaticConf}"), "static-probe test element");
        Assert.AreEqual(("041777", 0, 0), Entry("/", "tmp"), "existing folders keep their mode");
        StringAssert.StartsWith(Entry("/", "lib").Mode, "12", "/lib stays a symbolic link (merged /usr)");
    }

    [TestMethod]
    public void Build_ImageHasNoSshHostKeys_ButTheUnitThatMakesThem()
    {
        s_build.AssertSucceeded();
        var listing = Command.StandardOutput("debugfs", "-R", "ls /etc/ssh", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        StringAssert.Contains(listing, "sshd_config");
        Assert.DoesNotContain("ssh_host_", listing, "host keys of the build must not ship in the image");
        Assert.IsTrue(ImageFiles.Exists(Raw, "/etc/systemd/system/multi-user.target.wants/ssh-keygen.service"), "runtime-ssh-host-keys' unit is enabled");
        Assert.IsTrue(ImageFiles.Exists(Raw, "/etc/systemd/system/multi-user.target.wants/ssh.service"), "sshd is enabled");
    }

    [TestMethod]
    public void Build_CloudInitLooksForTheDefaultDataSourcesAndThoseOfTheCloudElements()
    {
        s_build.AssertSucceeded();
        var config = ImageFiles.ReadFile(Raw, "/etc/cloud/cloud.cfg.d/91-dib-cloud-init-datasources.cfg");
        StringAssert.Contains(config, "datasource_list: [ NoCloud, ConfigDrive, OpenStack, Ec2, Azure, GCE, None ]");
        Assert.IsTrue(ImageFiles.Exists(Raw, "/etc/systemd/system/cloud-init.target.wants/cloud-init.service"), "cloud-init is enabled");
        StringAssert.Contains(ImageFiles.ReadFile(Raw, "/etc/cloud/cloud.cfg.d/99-dib-dhcp-all-interfaces.cfg"), "network: {config: disabled}",
            "with dhcp-all-interfaces, cloud-init leaves the network alone");
    }

    [TestMethod]
    public void Boot_WithNoDataSource_ReachesLoginPromptWithoutWaitingForCloudInit()
    {
        var boot = Booted();
        Console.WriteLine($"login prompt after {boot.LoginPrompt.TotalSeconds:F0} s");
        Assert.IsLessThan(LoginBudget, boot.LoginPrompt, "no network or metadata wait delays the login prompt");
        CollectionAssert.Contains(Lines(Probe("cloud-init")), "status: disabled", "cloud-init's generator found no data source and left it off");
        CollectionAssert.Contains(Lines(Probe("cloud-init")), "enabled", "the units are enabled for clouds that have one");
    }

    [TestMethod]
    public void Boot_DevUserLogsInWithPasswordAndHasPasswordlessSudo()
    {
        StringAssert.StartsWith(Probe("whoami"), User);
        StringAssert.Contains(Probe("whoami"), "adm");
        StringAssert.Contains(Probe("sudo"), "SUDO-OK");
    }

    [TestMethod]
    public void Boot_RootFilesystemGrowsToFillTheDisk()
    {
        CollectionAssert.Contains(Lines(Probe("growroot")), "active", "growroot.service ran");
        var line = Probe("df").Split('\n').Single(l => l.StartsWith("/dev/", StringComparison.Ordinal));
        var size = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var imageSize = ImageFiles.QemuImgInfo(Image("qcow2")).GetProperty("virtual-size").GetInt64();
        Console.WriteLine($"root filesystem: {size} bytes; image: {imageSize} bytes");
        Assert.IsGreaterThan(3L * 1024 * 1024 * 1024, size, $"/ fills most of the 4 GiB disk: {line}");
        Assert.IsGreaterThan(2 * imageSize, size, "the filesystem grew well beyond the image");
    }

    [TestMethod]
    public void Boot_SshdRunsWithHostKeysGeneratedAtFirstBoot()
    {
        CollectionAssert.Contains(Lines(Probe("ssh")), "active", "ssh.service is active");
        var keys = Probe("hostkeys");
        foreach (var type in new[] { "rsa", "ecdsa", "ed25519" })
        {
            StringAssert.Contains(keys, $"ssh_host_{type}_key.pub", $"{type} host key");
        }
    }

    [TestMethod]
    public void Boot_SshdServesTheHostKeyGeneratedAtBoot()
    {
        var generated = Probe("ed25519").Split(' ')[1];
        var scanned = Probe("keyscan").Split('\n').Select(l => l.Split(' ')).SingleOrDefault(f => f.Length >= 3 && f[1] == "ssh-ed25519");
        Assert.IsNotNull(scanned, $"ssh-keyscan through QEMU's port forward got no ed25519 key:\n{Probe("keyscan")}");
        Assert.AreEqual(generated, scanned[2], "sshd answers with the key generated at boot, through its hardened key exchange");
    }

    [TestMethod]
    public void Boot_EthernetInterfaceGetsDhcpAddress()
    {
        var addresses = Probe("ipv4");
        StringAssert.Contains(addresses, "inet 10.0.2.15/24", "QEMU's user-mode DHCP server gave the NIC its address");
    }

    [TestMethod]
    public void Boot_StaticScriptRuns()
    {
        StringAssert.Contains(Probe("static"), "static-probe was here");
    }

    [TestMethod]
    public void Boot_WithNoCloudSeedAndNoNetwork_CloudInitRunsToTheEndWithoutWaiting()
    {
        s_build.AssertSucceeded();
        // A NoCloud seed in the SMBIOS serial number: cloud-init finds a data source and runs all its
        // stages, with no network at all.
        var boot = BootOverlay("nocloud", ["-nic", "none", "-smbios", "type=1,serial=ds=nocloud;h=seeded;i=dib-sdk-test"], [
            ("status", "cloud-init status --wait --long"),
            ("hostname", "hostname"),
            ("failed", "sudo -n systemctl list-units --state=failed --no-legend --plain | cat"),
            ("sudo", "sudo -n true && echo SUDO-OK"),
            ("growroot-journal", "sudo -n journalctl -b --no-pager -o cat -u growroot.service | tail -n 30"),
        ]);
        Console.WriteLine($"login prompt after {boot.LoginPrompt.TotalSeconds:F0} s with cloud-init running");
        File.AppendAllText(Path.Combine(s_project.Directory, "timings.txt"),
            $"login prompt with cloud-init running (NoCloud): {boot.LoginPrompt.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s\n");
        Assert.IsLessThan(LoginBudget, boot.LoginPrompt, "cloud-init does not wait for a network that is not there");
        var status = Output(boot, "status");
        StringAssert.Contains(status, "status: done", status);
        StringAssert.Contains(status, "DataSourceNoCloud");
        Assert.AreEqual("seeded", Output(boot, "hostname").Trim(), "cloud-init applied the seed's hostname");
        Assert.DoesNotContain(".service", Output(boot, "failed"),
            $"no unit failed (cloud-config with the default locale did); growroot's journal:\n{boot.Commands["growroot-journal"].Output}");
        StringAssert.Contains(Output(boot, "sudo"), "SUDO-OK", "the development user is unaffected by cloud-init's default user");
    }

    [TestMethod]
    public void CloudInitDisableResizefs_RemovesResizefsAndGrowpartFromCloudCfg()
    {
        // growroot grows the root partition and filesystem here; cloud-init's own modules for it are taken out.
        var cloudCfg = ImageFiles.ReadFile(Raw, "/etc/cloud/cloud.cfg").Split('\n');
        CollectionAssert.DoesNotContain(cloudCfg, " - resizefs");
        CollectionAssert.DoesNotContain(cloudCfg, " - growpart");
        CollectionAssert.Contains(cloudCfg, " - set_hostname", "the other modules stay");
    }
}
