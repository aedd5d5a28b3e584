using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// diskimage-builder's own elements, copied unchanged from Debian's python3-diskimage-builder into the project's
/// ElementsPath (searched before the SDK's built-in elements, so these run instead of the SDK's versions of the same
/// names), in one Debian build; each test reads back from the tar output what one element promises in its README.
/// The elements they depend on and that are not in the list (package-installs, pkg-map, dib-init-system,
/// manifests) are the SDK's.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class DibElementsUnmodifiedTests
{
    /// <summary>
    /// The elements taken from diskimage-builder unchanged; the README counts them. Its stable-interface-names is not
    /// among them: it installs biosdevname, which Debian 12 no longer has (DIB2302, with the SDK's element too).
    /// </summary>
    public static readonly string[] Elements =
    [
        "modprobe", "disable-nouveau", "journal-to-console", "growroot", "enable-serial-console", "runtime-ssh-host-keys",
        "openssh-server", "dynamic-login", "devuser", "dhcp-all-interfaces", "install-static", "element-manifest",
        "sysctl", "apt-conf", "cleanup-kernel-initrd", "dib-init-system", "cloud-init", "cloud-init-datasources",
        "cloud-init-nocloud", "cloud-init-disable-resizefs", "cache-url", "ensure-venv", "sysprep", "openstack-ci-mirrors",
        "ibft-interfaces", "growvols", "apt-sources", "iscsi-boot", "local-config", "apt-preferences", "source-repositories",
        "grub2", "dracut-network", "dib-python",
    ];

    /// <summary>Files of two older kernel versions in /boot beside debian-minimal's kernel, as kernel upgrades leave them.</summary>
    private static readonly string[] OldKernels =
    [
        "vmlinuz-6.1.0-1-amd64", "initrd.img-6.1.0-1-amd64", "config-6.1.0-1-amd64", "System.map-6.1.0-1-amd64",
        "vmlinuz-6.1.0-9-amd64", "initrd.img-6.1.0-9-amd64", "config-6.1.0-9-amd64",
    ];

    /// <summary>
    /// apt-sources' file: the suites of bookworm from the archives the build host's apt uses (no server name is written into
    /// the tests), so the build goes on installing from the same sources as before.
    /// </summary>
    private static string SourcesList()
    {
        var lines = new[] { "bookworm", "bookworm-updates", "bookworm-security" }
            .Select(suite => (Suite: suite, Uri: HostAptSources.ArchiveFor(suite)))
            .Where(s => s.Uri is not null)
            .Select(s => $"deb {s.Uri} {s.Suite} main\n")
            .ToList();
        if (lines.Count == 0)
            throw new InvalidOperationException("The build host's apt has no source for bookworm, which apt-sources' file must name.");
        return "# apt-sources (diskimage-builder) test\n" + string.Concat(lines);
    }

    private const string DevUserKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDibElementsUnmodifiedTestKeyAAAAAAAAAAAAAA dev@dib-sdk-test";

    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static string[] s_listing = [];

    private static string DibElements => Path.Combine(DiskimageBuilderPackage.Tree, "elements");

    /// <summary>The image's build; may start in the background before the class runs.</summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> Fixture = new("dib-elements", () =>
    {
        var project = ImageProject.Create("dib-elements", $"""
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="debian-minimal" />
              {string.Join("\n  ", Elements.Select(e => $"<Element Include=\"{e}\" />"))}
              <Element Include="sysctl-user" />
              <Element Include="two-kernels" />
              <ElementEnvironment Include="DIB_MODPROBE_BLACKLIST" Value="floppy pcspkr" />
              <ElementEnvironment Include="DIB_DEV_USER_USERNAME" Value="dibdev" />
              <ElementEnvironment Include="DIB_DEV_USER_PWDLESS_SUDO" Value="yes" />
              <ElementEnvironment Include="DIB_DEV_USER_AUTHORIZED_KEYS" Value="$(MSBuildProjectDirectory)/dev.pub" />
              <ElementEnvironment Include="DIB_APT_CONF" Value="$(MSBuildProjectDirectory)/my-apt.conf" />
              <Element Include="source-user" />
              <ElementEnvironment Include="DIB_APT_SOURCES" Value="$(MSBuildProjectDirectory)/my-sources.list" />
              <ElementEnvironment Include="DIB_DPKG_MANIFEST" Value="$(MSBuildProjectDirectory)/my-pins.json" />
              <ElementEnvironment Include="DIB_TEST_SOURCE" Value="$(MSBuildProjectDirectory)/hello.txt" />
              <!-- dib-python picks Python 2 for Debian unless told; bookworm has only 3 (diskimage-builder needs the same). -->
              <ElementEnvironment Include="DIB_PYTHON_VERSION" Value="3" />
              <Element Include="python-user" />
            </ItemGroup>
            """);
        var elements = Path.Combine(project.Directory, "elements");
        Directory.CreateDirectory(elements);
        foreach (var element in Elements)
            Command.RunChecked("cp", "-a", Path.Combine(DibElements, element), elements);
        // A user of sysctl (which only ships commands), as an element of the user's would be.
        AddScript(elements, "sysctl-user", "install.d/60-forwarding", "sysctl-write-value net.ipv4.ip_forward 1");
        File.WriteAllText(Path.Combine(elements, "sysctl-user", "element-deps"), "sysctl\n");
        AddScript(elements, "two-kernels", "install.d/60-two-kernels",
            $"mkdir -p /boot && cd /boot && for f in {string.Join(' ', OldKernels)}; do echo \"$f\" > \"$f\"; done");
        File.WriteAllText(Path.Combine(project.Directory, "dev.pub"), DevUserKey + "\n");
        File.WriteAllText(Path.Combine(project.Directory, "my-apt.conf"), "Acquire::Retries \"7\";\n");
        File.WriteAllText(Path.Combine(project.Directory, "my-sources.list"), SourcesList());
        File.WriteAllText(Path.Combine(project.Directory, "my-pins.json"), """{"packages":[{"package":"hello","version":"2.10-3"}]}""");
        // A user of source-repositories (which only fetches what other elements name), with a file source on this host.
        File.WriteAllText(Path.Combine(project.Directory, "hello.txt"), "fetched by source-repositories\n");
        Directory.CreateDirectory(Path.Combine(elements, "source-user"));
        File.WriteAllText(Path.Combine(elements, "source-user", "element-deps"), "source-repositories\n");
        File.WriteAllText(Path.Combine(elements, "source-user", "source-repository-dibtest"), "dibtest file /opt/dibtest/hello.txt file://${DIB_TEST_SOURCE}\n");
        // A user of dib-python, as elements that run Python at build time are: what dib-python points at while the build runs.
        AddScript(elements, "python-user", "install.d/60-python-user", "echo \"$DIB_PYTHON_VERSION $(readlink -f /usr/bin/dib-python)\" > /etc/dib-python-probe");
        File.WriteAllText(Path.Combine(elements, "python-user", "element-deps"), "dib-python\n");
        return (project, project.Build());
    });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        (s_project, s_build) = Fixture.Result;
        if (s_build.Succeeded)
            s_listing = Command.RunChecked("tar", "-tvf", Tar).Split('\n');
    }

    /// <summary>Writes an executable bash script into a (new) element of the project.</summary>
    private static void AddScript(string elements, string element, string relative, string body)
    {
        var path = Path.Combine(elements, element, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!/bin/bash\nset -eu\n{body}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    private static string Tar => Path.Combine(s_project.OutputDirectory(), "dib-elements.tar");

    private static string Entry(string path)
    {
        var line = Listed(path);
        var name = line[(line.IndexOf(" ./", StringComparison.Ordinal) is >= 0 and var dot ? dot + 1 : line.LastIndexOf(' ') + 1)..];
        return Command.RunChecked("tar", "-xOf", Tar, name);
    }

    /// <summary>The `tar -tv` line of <paramref name="path"/>: mode, owner, size, date, name (and link target).</summary>
    private static string Listed(string path)
    {
        s_build.AssertSucceeded();
        var relative = path.TrimStart('/');
        var line = s_listing.FirstOrDefault(l => l.EndsWith(" ./" + relative, StringComparison.Ordinal) || l.EndsWith(" " + relative, StringComparison.Ordinal)
            || l.Contains(" ./" + relative + " -> ", StringComparison.Ordinal) || l.Contains(" " + relative + " -> ", StringComparison.Ordinal));
        Assert.IsNotNull(line, $"{path} is not in the image");
        return line;
    }

    private static string FromPackage(string relative) => File.ReadAllText(Path.Combine(DibElements, relative));

    [TestMethod]
    public void Build_TakesTheElementsFromTheProjectNotTheSdk()
    {
        s_build.AssertSucceeded();
        var overriding = Elements.Where(e => Directory.Exists(Path.Combine(Repository.Root, "sdk", "DiskImageBuilder.Sdk", "elements", e))).ToList();
        Assert.IsGreaterThanOrEqualTo(20, overriding.Count, "most of them have a built-in element of the same name");
        foreach (var element in overriding)
            StringAssert.Contains(s_build.Output, $"Element '{element}' in {Path.Combine(s_project.Directory, "elements", element)} overrides",
                "the copy of diskimage-builder's element is used, and the build says so");
    }

    [TestMethod]
    public void Modprobe_BlacklistsTheModulesOfTheVariable_AndCopiesEveryElementsModprobeD()
    {
        Assert.AreEqual("blacklist floppy\nblacklist pcspkr\n", Entry("/etc/modprobe.d/blacklist.conf"));
        // disable-nouveau ships only modprobe.d/: modprobe's extra-data.d finds it through get_image_element_array.
        Assert.AreEqual(FromPackage("disable-nouveau/modprobe.d/disable-nouveau.conf"), Entry("/etc/modprobe.d/disable-nouveau.conf"));
    }

    [TestMethod]
    public void JournalToConsole_ForwardsTheJournal()
    {
        StringAssert.Contains(Entry("/etc/systemd/journald.conf.d/log-to-console.conf"), "ForwardToConsole=true");
    }

    [TestMethod]
    public void Growroot_InstallsItsScriptAndEnablesItsUnit_WithGrowpart()
    {
        StringAssert.StartsWith(Listed("/usr/local/sbin/growroot"), "-rwxr-xr-x 0/0 ");
        Assert.AreEqual(FromPackage("growroot/init-scripts/systemd/growroot.service"), Entry("/usr/lib/systemd/system/growroot.service"));
        StringAssert.Contains(Listed("/etc/systemd/system/multi-user.target.wants/growroot.service"), "growroot.service");
        Listed("/usr/bin/growpart");
    }

    [TestMethod]
    public void EnableSerialConsole_InstallsItsUdevRule()
    {
        Assert.AreEqual(FromPackage("enable-serial-console/install.d/serial-console-udev.rules"),
            Entry("/etc/udev/rules.d/99-serial-console.rules"));
    }

    [TestMethod]
    public void RuntimeSshHostKeys_LeavesNoHostKey_AndEnablesKeyGenerationAtBoot()
    {
        Assert.IsFalse(s_listing.Any(l => l.Contains("./etc/ssh/ssh_host_", StringComparison.Ordinal)),
            string.Join('\n', s_listing.Where(l => l.Contains("./etc/ssh/", StringComparison.Ordinal))));
        Listed("/usr/local/sbin/runtime-ssh-host-keys.sh");
        Listed("/etc/systemd/system/multi-user.target.wants/ssh-keygen.service");
    }

    [TestMethod]
    public void OpensshServer_IsInstalledEnabledAndHardened()
    {
        Listed("/usr/sbin/sshd");
        Listed("/etc/systemd/system/multi-user.target.wants/ssh.service");
        StringAssert.Contains(Entry("/etc/ssh/sshd_config"), "KexAlgorithms curve25519-sha256@libssh.org");
    }

    [TestMethod]
    public void DynamicLogin_InstallsItsScriptAndEnablesItsUnit()
    {
        StringAssert.StartsWith(Listed("/usr/local/bin/dynamic-login"), "-rwxr-xr-x 0/0 ");
        Listed("/etc/systemd/system/multi-user.target.wants/dynamic-login.service");
    }

    [TestMethod]
    public void Devuser_CreatesTheUserWithSudoAndTheKey()
    {
        StringAssert.Contains(Entry("/etc/passwd"), "\ndibdev:x:");
        Assert.AreEqual("dibdev ALL=(ALL) NOPASSWD:ALL\n", Entry("/etc/sudoers.d/dibdev"));
        StringAssert.StartsWith(Listed("/etc/sudoers.d/dibdev"), "-r--r----- 0/0 ");
        Assert.AreEqual(DevUserKey + "\n", Entry("/home/dibdev/.ssh/authorized_keys"));
        var user = Entry("/etc/passwd").Split('\n').Single(l => l.StartsWith("dibdev:", StringComparison.Ordinal)).Split(':');
        StringAssert.Contains(Listed("/home/dibdev/.ssh/authorized_keys"), $" {user[2]}/{user[3]} ", "the key belongs to the user");
    }

    [TestMethod]
    public void DhcpAllInterfaces_InstallsItsScriptUnitAndRule_WithItsPackages()
    {
        StringAssert.StartsWith(Listed("/usr/local/sbin/dhcp-all-interfaces.sh"), "-rwxr-xr-x");
        StringAssert.Contains(Entry("/usr/lib/systemd/system/dhcp-interface@.service"), "TimeoutStartSec=60s", "DIB_DHCP_TIMEOUT's default, doubled");
        Listed("/etc/udev/rules.d/99-dhcp-all-interfaces.rules");
        Listed("/usr/sbin/ifup");
        Listed("/usr/bin/ndisc6");
    }

    [TestMethod]
    public void ElementManifest_ListsTheElementsOfTheBuild()
    {
        var manifest = Entry("/etc/dib-manifests/dib-element-manifest").Split('\n');
        foreach (var element in Elements)
            CollectionAssert.Contains(manifest, element);
    }

    [TestMethod]
    public void Sysctl_ItsCommandsWorkForOtherElements()
    {
        Assert.AreEqual("net.ipv4.ip_forward = 1", Entry("/etc/sysctl.d/net.ipv4.ip_forward.conf").Trim().Split('\n').Last());
    }

    [TestMethod]
    public void CleanupKernelInitrd_KeepsOnlyTheFilesOfTheBootKernel_ThroughTheSdksImgFunctions()
    {
        s_build.AssertSucceeded();
        foreach (var file in OldKernels)
            Assert.IsFalse(s_listing.Any(l => l.EndsWith("boot/" + file, StringComparison.Ordinal)), $"{file} was removed");
        // Regular files only: / also holds the links vmlinuz and vmlinuz.old to the kernel in /boot.
        var kernel = s_listing.Where(l => l.StartsWith('-')).Select(l => l.Split(' ').Last())
            .Where(n => n.Contains("boot/vmlinuz-", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, kernel, "debian-minimal's own kernel stays: the newest version");
        Listed("/boot/initrd.img-" + kernel[0].Split("vmlinuz-")[1]);
    }

    [TestMethod]
    public void DibInitSystem_RecordsTheInitSystemForScripts()
    {
        StringAssert.Contains(Entry("/usr/local/bin/dib-init-system"), "echo systemd\n", "the helper prints the DIB_INIT_SYSTEM debian-minimal set");
        StringAssert.StartsWith(Listed("/usr/local/bin/dib-init-system"), "-rwxrwxr-x 0/0 ");
    }

    [TestMethod]
    public void CloudInitNocloud_InstallsCloudInitWithTheNoCloudSourceAndAnEmptySeed()
    {
        Listed("/usr/bin/cloud-init");
        StringAssert.Contains(Entry("/etc/cloud/cloud.cfg.d/91-dib-cloud-init-datasources.cfg"), "datasource_list: [  NoCloud, None ]");
        Assert.AreEqual("", Entry("/var/lib/cloud/seed/nocloud/user-data"));
        Assert.AreEqual("", Entry("/var/lib/cloud/seed/nocloud/meta-data"));
    }

    [TestMethod]
    public void CloudInitDisableResizefs_TakesResizefsAndGrowpartOutOfCloudInitsModules()
    {
        var modules = Entry("/etc/cloud/cloud.cfg").Split('\n').Select(l => l.Trim()).ToList();
        CollectionAssert.DoesNotContain(modules, "- resizefs");
        CollectionAssert.DoesNotContain(modules, "- growpart");
        CollectionAssert.Contains(modules, "- bootcmd", "the other modules stay");
    }

    [TestMethod]
    public void AptConf_CopiesTheFile()
    {
        Assert.AreEqual("Acquire::Retries \"7\";\n", Entry("/etc/apt/apt.conf"));
    }

    /// <summary>Whether dpkg's status database in the image lists <paramref name="package"/> as installed.</summary>
    private static bool Installed(string package) =>
        Entry("/var/lib/dpkg/status").Split("\n\n").Any(stanza => stanza.StartsWith($"Package: {package}\n", StringComparison.Ordinal)
            && stanza.Contains("\nStatus: install ok installed\n", StringComparison.Ordinal));

    [TestMethod]
    public void CacheUrl_InstallsItsCommandWithCurl()
    {
        StringAssert.StartsWith(Listed("/usr/local/bin/cache-url"), "-rwxr-xr-x 0/0 ");
        Assert.AreEqual(FromPackage("cache-url/bin/cache-url"), Entry("/usr/local/bin/cache-url"));
        Assert.IsTrue(Installed("curl"));
    }

    [TestMethod]
    public void EnsureVenv_InstallsPythonsVenv()
    {
        Assert.IsTrue(Installed("python3-venv"));
    }

    [TestMethod]
    public void Sysprep_ItsScriptRanAndEmptiedTheMachineId()
    {
        StringAssert.Contains(s_build.Output, "01-clear-machine-id (sysprep)", "diskimage-builder's script ran");
        Assert.AreEqual("0", Listed("/etc/machine-id").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], "empty");
    }

    [TestMethod]
    public void OpenstackCiMirrors_AllowsTheUnsignedRepositoriesOfCiMirrors()
    {
        Assert.AreEqual("APT::Get::AllowUnauthenticated \"true\";\nAcquire::AllowInsecureRepositories \"true\";\n",
            Entry("/etc/apt/apt.conf.d/99unauthenticated"));
        StringAssert.StartsWith(Listed("/etc/apt/apt.conf.d/99unauthenticated"), "-rw-r--r-- 0/0 ");
    }

    [TestMethod]
    public void IbftInterfaces_InstallsItsScriptModulesAndEnabledUnit_WithOpenIscsi()
    {
        StringAssert.StartsWith(Listed("/usr/local/sbin/init-ibft-interfaces.sh"), "-rwxr-xr-x");
        Assert.AreEqual(FromPackage("ibft-interfaces/static/etc/modules-load.d/ibft.conf"), Entry("/etc/modules-load.d/ibft.conf"));
        Assert.AreEqual(FromPackage("ibft-interfaces/init-scripts/systemd/init-ibft-interfaces.service"),
            Entry("/usr/lib/systemd/system/init-ibft-interfaces.service"));
        Listed("/etc/systemd/system/multi-user.target.wants/init-ibft-interfaces.service");
        Assert.IsTrue(Installed("open-iscsi"));
    }

    [TestMethod]
    public void Growvols_InstallsItsScriptAndUnitWithoutEnablingIt_WithItsPackages()
    {
        StringAssert.StartsWith(Listed("/usr/local/sbin/growvols"), "-rwxr-xr-x");
        Assert.AreEqual(FromPackage("growvols/init-scripts/systemd/growvols.service"), Entry("/usr/lib/systemd/system/growvols.service"));
        Assert.IsFalse(s_listing.Any(l => l.Contains("wants/growvols.service", StringComparison.Ordinal)), "DIB_GROWVOLS_TRIGGER's default is manual");
        foreach (var package in new[] { "lvm2", "parted", "xfsprogs", "gdisk" })
            Assert.IsTrue(Installed(package), package);
    }

    [TestMethod]
    public void AptSources_ReplacesTheSourcesList()
    {
        Assert.AreEqual(File.ReadAllText(Path.Combine(s_project.Directory, "my-sources.list")), Entry("/etc/apt/sources.list"));
    }

    [TestMethod]
    public void IscsiBoot_LetsTheInitramfsFindTheIscsiRoot()
    {
        Assert.AreEqual("ISCSI_AUTO=true\n", Entry("/etc/iscsi/iscsi.initramfs"));
    }

    [TestMethod]
    public void LocalConfig_SendsTheNoProxyHostsPastApt()
    {
        StringAssert.Contains(Entry("/etc/apt/apt.conf.d/02-no-proxy"), "Acquire::http::Proxy::192.0.2.1 \"DIRECT\";\n");
    }

    [TestMethod]
    public void AptPreferences_PinsThePackagesOfTheManifest()
    {
        Assert.AreEqual("Package: hello\nPin: version 2.10-3\nPin-Priority: 1001\n\n", Entry("/etc/apt/preferences"));
    }

    [TestMethod]
    public void SourceRepositories_FetchesTheFileAnotherElementNames_AndRecordsIt()
    {
        Assert.AreEqual("fetched by source-repositories\n", Entry("/opt/dibtest/hello.txt"));
        StringAssert.Contains(Entry("/etc/dib-source-repositories"), "/opt/dibtest/hello.txt");
    }

    [TestMethod]
    public void Grub2_InstallsTheSignedEfiGrubShimAndBiosModules()
    {
        foreach (var package in new[] { "grub-efi-amd64-signed", "shim-signed", "grub-pc-bin" })
            Assert.IsTrue(Installed(package), package);
    }

    [TestMethod]
    public void DracutNetwork_AnElementLeftEmptyUpstream_Resolves()
    {
        CollectionAssert.Contains(Entry("/etc/dib-manifests/dib-element-manifest").Split('\n'), "dracut-network");
    }

    [TestMethod]
    public void DibPython_PointsAtTheImagesPython3DuringTheBuild_AndIsGoneAfterwards()
    {
        StringAssert.Matches(Entry("/etc/dib-python-probe"), new System.Text.RegularExpressions.Regex(@"^3 /usr/bin/python3\.\d+\n$"));
        Assert.IsFalse(s_listing.Any(l => l.Contains("usr/bin/dib-python", StringComparison.Ordinal)), "its cleanup.d removed the link");
        Assert.IsTrue(Installed("python3"));
    }
}
