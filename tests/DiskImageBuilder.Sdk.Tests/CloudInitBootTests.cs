using System.Globalization;
using System.Text.RegularExpressions;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// diskimage-builder's configuration and utility elements on Debian in one image (debian, vm,
/// cloud-init-nocloud, cloud-init-growpart, dhcp-all-interfaces with systemd-networkd, local-config,
/// element-manifest, cache-url, pip-and-virtualenv, ensure-venv, sysprep through debian), read back
/// with debugfs and booted once with a NoCloud seed disk (label cidata) on the serial console.
/// (cloud-init-disable-resizefs rides on CloudImageTests' image, no-final-image on RpmFamilyContainerTests' build.)
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
[TestCategory(TestCategories.Qemu)]
public sealed class CloudInitBootTests
{
    private const string User = "seeded";
    private const string BuilderKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDibSdkLocalConfigBuilderKeyOnlyForTheTestAAAAA builder@dib-sdk-test";
    private static readonly string s_password = "Seed-" + Guid.NewGuid().ToString("N")[..16];
    private static readonly string s_cacheName = $"payload-{Guid.NewGuid():N}.txt";

    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static Dictionary<string, ProcessResultText>? s_boot;
    private static Exception? s_bootError;
    private static string s_console = "";

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "cloudinit-boot.raw");

    /// <summary>The booted image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> Fixture = new("cloudinit-boot", () =>
    {
        var project = ImageProject.Create("cloudinit-boot", $$"""
            <PropertyGroup>
              <ImageFormats>qcow2;raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="debian" />
              <Element Include="vm" />
              <Element Include="cloud-init-nocloud" />
              <Element Include="cloud-init-growpart" />
              <Element Include="dhcp-all-interfaces" />
              <Element Include="local-config" />
              <Element Include="element-manifest" />
              <Element Include="pip-and-virtualenv" />
              <Element Include="ensure-venv" />
              <Element Include="cache-probe" />
              <ElementEnvironment Include="DIB_CLOUD_INIT_GROWPART_DEVICES" Value="['/']" />
              <ElementEnvironment Include="DIB_DHCP_NETWORK_MANAGER" Value="systemd-networkd" />
              <ElementEnvironment Include="DIB_CLOUD_INIT_ALLOW_SSH_PWAUTH" Value="1" />
              <ElementEnvironment Include="DIB_CLOUD_INIT_ETC_HOSTS" Value="localhost" />
              <ElementEnvironment Include="DIB_LOCAL_CONFIG_AUTHORIZED_KEYS" Value="$(MSBuildProjectDirectory)/builder-keys" />
              <ElementEnvironment Include="no_proxy" Value="mirror.example,10.1.2.3" />
              <ElementEnvironment Include="DIB_ELEMENT_MANIFEST_PATH" Value="/etc/dib-element-list" />
              <ElementEnvironment Include="DIB_CACHE_PROBE_URL" Value="file://$(MSBuildProjectDirectory)/payload.txt" />
              <ElementEnvironment Include="DIB_CACHE_PROBE_NAME" Value="{{s_cacheName}}" />
            </ItemGroup>
            """);
        project.AddTestElement("cache-probe");
        File.WriteAllText(Path.Combine(project.Directory, "builder-keys"), BuilderKey + "\n");
        File.WriteAllText(Path.Combine(project.Directory, "payload.txt"), "cached by cache-url\n");
        return (project, project.Build());
    });

    [ClassInitialize]
    public static void BuildAndBootOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build) = Fixture.Result;
        if (s_build.Succeeded)
        {
            try
            {
                s_boot = Boot();
            }
            catch (Exception ex) when (ex is TimeoutException or AssertFailedException or InvalidOperationException or IOException
                or System.ComponentModel.Win32Exception)
            {
                s_bootError = ex;
            }
        }

    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
    }

    /// <summary>
    /// Boots a 4 GiB overlay with a user-mode NIC and a NoCloud seed disk (vfat, label cidata) whose
    /// user data makes the login user; logs in and probes.
    /// </summary>
    private static Dictionary<string, ProcessResultText> Boot()
    {
        var image = Path.Combine(s_project.OutputDirectory(), "cloudinit-boot.qcow2");
        var overlay = Path.Combine(s_project.Directory, "boot-overlay.qcow2");
        Command.RunChecked("qemu-img", "create", "-q", "-f", "qcow2", "-b", image, "-F", "qcow2", overlay, "4G");
        var seed = Path.Combine(s_project.Directory, "seed.img");
        var metaData = Path.Combine(s_project.Directory, "meta-data");
        var userData = Path.Combine(s_project.Directory, "user-data");
        File.WriteAllText(metaData, "instance-id: dib-sdk-cloudinit-boot\nlocal-hostname: nocloud-seeded\n");
        File.WriteAllText(userData, $"""
            #cloud-config
            users:
              - name: {User}
                plain_text_passwd: {s_password}
                lock_passwd: false
                shell: /bin/bash
                sudo: ALL=(ALL) NOPASSWD:ALL
            """ + "\n");
        Command.RunChecked("truncate", "-s", "2M", seed);
        Command.RunChecked("mkfs.vfat", "-n", "CIDATA", seed);
        Command.RunChecked("mcopy", "-i", seed, metaData, userData, "::/");

        using var machine = QemuSerialSession.Start(overlay, "qcow2", Path.Combine(s_project.Directory, "boot-console.log"),
            "-nic", "user,model=virtio-net-pci", "-drive", $"file={seed},format=raw,if=virtio,readonly=on");
        machine.WaitFor("login: ", TimeSpan.FromSeconds(300));
        machine.LogIn(User, s_password, TimeSpan.FromSeconds(90));
        var results = new Dictionary<string, ProcessResultText>(StringComparer.Ordinal);
        foreach (var (name, command) in new[]
                 {
                     ("status", "cloud-init status --wait --long"),
                     ("hostname", "hostname"),
                     ("growpart", "sudo -n grep -E \"'/' resized|cc_growpart\" /var/log/cloud-init.log | tail -n 5"),
                     ("df", "df -B1 / | tail -n 1"),
                     ("address", "ip -4 -o addr show"),
                     // networkctl needs D-Bus, which a minimal image lacks; networkd's state files do not.
                     ("networkd", "sudo -n systemctl is-active systemd-networkd; grep -h '^ADMIN_STATE=' /run/systemd/netif/links/*"),
                     ("machine-id", "cat /etc/machine-id"),
                     ("pwauth", "sudo -n sshd -T | grep -i '^passwordauthentication'"),
                     ("venv", "python3 -m venv /tmp/venv && /tmp/venv/bin/python -c 'import sys; print(sys.prefix)'"),
                 })
            results[name] = machine.Run(command, TimeSpan.FromSeconds(180));
        s_console = machine.Transcript;
        return results;
    }

    private static string Probe(string name)
    {
        s_build.AssertSucceeded();
        if (s_boot is null)
            Assert.Fail($"The image did not boot to a usable shell: {s_bootError}");
        var result = s_boot[name];
        Assert.AreEqual(0, result.ExitCode, $"'{name}' failed on the booted machine:\n{result.Output}");
        return result.Output;
    }

    private static string Read(string path)
    {
        s_build.AssertSucceeded();
        return ImageFiles.ReadFile(Raw, path);
    }

    /// <summary>Mode (octal, with the file type) of a directory entry, from debugfs's parseable listing.</summary>
    private static string Mode(string directory, string name)
    {
        var listing = Command.StandardOutput("debugfs", "-R", $"ls -p {directory}", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        var entry = listing.Split('\n').Select(l => l.Split('/')).FirstOrDefault(f => f.Length >= 6 && f[5] == name);
        Assert.IsNotNull(entry, $"{directory}/{name} is not in the image:\n{listing}");
        return entry[2];
    }

    [TestMethod]
    public void CloudInitNoCloud_ImageHasAnEmptySeedAndOnlyTheNoCloudDataSource()
    {
        Assert.AreEqual("", Read("/var/lib/cloud/seed/nocloud/user-data"));
        Assert.AreEqual("", Read("/var/lib/cloud/seed/nocloud/meta-data"));
        StringAssert.Contains(Read("/etc/cloud/cloud.cfg.d/91-dib-cloud-init-datasources.cfg"), "datasource_list: [ NoCloud ]");
    }

    [TestMethod]
    public void CloudInitNoCloud_Boot_CloudInitRunsFromTheSeedDisk()
    {
        var status = Probe("status");
        StringAssert.Contains(status, "status: done", status);
        StringAssert.Contains(status, "DataSourceNoCloud");
        Assert.AreEqual("nocloud-seeded", Probe("hostname").Trim(), "the seed disk's meta-data set the hostname");
    }

    [TestMethod]
    public void CloudInitGrowpart_WritesTheDevicesAndInstallsGrowpart()
    {
        Assert.AreEqual("#cloud-config\ngrowpart:\n    mode: auto\n    devices: ['/']\n    ignore_growroot_disabled: false\n",
            Read("/etc/cloud/cloud.cfg.d/55-growpart.cfg"));
        Assert.AreEqual("100644", Mode("/etc/cloud/cloud.cfg.d", "55-growpart.cfg"));
        Assert.IsTrue(ImageFiles.Exists(Raw, "/usr/bin/growpart"), "cloud-guest-utils is installed");
    }

    [TestMethod]
    public void CloudInitGrowpart_Boot_RootPartitionAndFilesystemFillTheDisk()
    {
        // debian's cloud-initramfs-growroot grows the partition in the initramfs first; cloud-init's
        // growpart module then runs on the configured '/' and finds it grown, and resizefs grows the filesystem.
        StringAssert.Contains(Probe("growpart"), "cc_growpart", "cloud-init's growpart module ran");
        Assert.IsTrue(Regex.IsMatch(Probe("growpart"), @"'/' (resized|NOCHANGE)"), Probe("growpart"));
        StringAssert.Contains(s_console, "GROWROOT: CHANGED", "the initramfs grew the root partition");
        var size = long.Parse(Probe("df").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(3L * 1024 * 1024 * 1024, size, "/ fills most of the 4 GiB disk");
    }

    [TestMethod]
    public void CloudInit_AllowSshPasswordAuthentication_IsOnInCloudCfgAndInSshd()
    {
        var cloudCfg = Read("/etc/cloud/cloud.cfg");
        Assert.IsTrue(Regex.IsMatch(cloudCfg, @"^ssh_pwauth: *(1|true|True)\s*$", RegexOptions.Multiline), cloudCfg);
        StringAssert.Contains(cloudCfg, "ssh_genkeytypes:  ['rsa', 'ecdsa', 'ed25519']");
        StringAssert.Contains(Probe("pwauth").ToLowerInvariant(), "passwordauthentication yes");
    }

    [TestMethod]
    public void DhcpAllInterfaces_SystemdNetworkd_ConfiguresTheNicAtBoot()
    {
        StringAssert.Contains(Read("/etc/systemd/network/80-dhcp-all-interfaces.network"), "DHCP=ipv4");
        StringAssert.Contains(Read("/etc/systemd/system/systemd-networkd-wait-online.service.d/50-dhcp-all-interfaces.conf"), "--timeout=30");
        Assert.IsTrue(ImageFiles.Exists(Raw, "/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"), "networkd is enabled");
        StringAssert.Contains(Probe("address"), "inet 10.0.2.15/24", "QEMU's DHCP server gave the NIC its address");
        CollectionAssert.Contains(Probe("networkd").Split('\n').Select(l => l.Trim()).ToList(), "active", "systemd-networkd runs");
        StringAssert.Contains(Probe("networkd"), "ADMIN_STATE=configured", "networkd configured the NIC");
    }

    [TestMethod]
    public void LocalConfig_BuilderKeyAndNoProxyAreInTheImage()
    {
        Assert.AreEqual(BuilderKey + "\n", Read("/root/.ssh/authorized_keys"));
        Assert.AreEqual("100600", Mode("/root/.ssh", "authorized_keys"));
        Assert.AreEqual("040700", Mode("/root", ".ssh"));
        Assert.AreEqual("Acquire::http::Proxy::mirror.example \"DIRECT\";\nAcquire::http::Proxy::10.1.2.3 \"DIRECT\";\nAcquire::http::Proxy::192.0.2.1 \"DIRECT\";\n",
            Read("/etc/apt/apt.conf.d/02-no-proxy"));
        Assert.IsFalse(ImageFiles.Exists(Raw, "/etc/apt/apt.conf.d/02-use-http-proxy"), "no http_proxy was given");
    }

    [TestMethod]
    public void ElementManifest_ListsEveryElementAtTheGivenPath()
    {
        var elements = Read("/etc/dib-element-list").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.IsSubsetOf(new[] { "base", "debian", "debian-minimal", "cloud-init-nocloud", "element-manifest", "sysprep", "manifests" }, elements);
    }

    [TestMethod]
    public void CacheUrl_DownloadsIntoTheDownloadCacheAndTheHelperIsInTheImage()
    {
        Assert.AreEqual("cached by cache-url\n", File.ReadAllText(Path.Combine(ImageProject.CacheDirectory, "cache-probe", s_cacheName)));
        Assert.AreEqual("cached by cache-url\n", Read("/etc/cache-probe.txt"));
        Assert.AreEqual("100755", Mode("/usr/local/bin", "cache-url"));
        Assert.IsTrue(ImageFiles.Exists(Raw, "/usr/bin/curl"), "curl is installed for the helper");
    }

    [TestMethod]
    public void PipAndVirtualenvAndEnsureVenv_DistributionPackagesAreInstalledAndVenvWorks()
    {
        foreach (var path in new[] { "/usr/lib/python3/dist-packages/pip", "/usr/lib/python3/dist-packages/virtualenv", "/usr/bin/virtualenv" })
            Assert.IsTrue(ImageFiles.Exists(Raw, path), path);
        StringAssert.Contains(Probe("venv"), "/tmp/venv");
    }

    [TestMethod]
    public void Sysprep_MachineIdIsUninitializedInTheImageAndNewAtBoot()
    {
        Assert.AreEqual("uninitialized\n", Read("/etc/machine-id"));
        Assert.IsTrue(Regex.IsMatch(Probe("machine-id").Trim(), "^[0-9a-f]{32}$"), Probe("machine-id"));
    }

    [TestMethod]
    public void Base_InstallsIscsiAndWritesManageEtcHosts()
    {
        Assert.IsTrue(ImageFiles.Exists(Raw, "/usr/sbin/iscsid"), "open-iscsi");
        Assert.AreEqual("manage_etc_hosts: localhost\n", Read("/etc/cloud/cloud.cfg.d/10_etc_hosts.cfg"));
    }

    [TestMethod]
    public void Debian_InstallsItsCloudPackagesAndPinsSysvinitAway()
    {
        foreach (var path in new[] { "/usr/bin/rsync", "/usr/bin/less", "/usr/bin/file", "/usr/sbin/netplan", "/usr/bin/cloud-localds", "/usr/sbin/cron" })
            Assert.IsTrue(ImageFiles.Exists(Raw, path), path);
        Assert.AreEqual("Package: sysvinit\nPin: origin \"\"\nPin-Priority: -1\n", Read("/etc/apt/preferences.d/sysvinit"));
    }
}
