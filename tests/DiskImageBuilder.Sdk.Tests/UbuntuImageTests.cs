using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Ubuntu images, built once each through the packed SDK and booted in QEMU: ubuntu-minimal + vm (bootstrapped
/// from the archive) and ubuntu + vm (from the cloud image root), both projects made by `dotnet new imgproj`, against the loopback fixture of
/// <see cref="UbuntuFixture"/> (or the real services, see there); and the bad inputs, each one coded error before
/// the tree is touched.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class UbuntuImageTests
{
    private static UbuntuFixture s_fixture = null!;
    private static ImageProject s_minimal = null!;
    private static BuildResult s_minimalBuild = null!;
    private static ImageProject s_cloud = null!;
    private static BuildResult s_cloudBuild = null!;
    private static readonly List<ImageProject> s_others = [];

    /// <summary>The loopback fixture (apt repository, cloud images), made once: at the run's start (<see cref="BackgroundBuilds"/>) or by the first build that needs it.</summary>
    internal static readonly Lazy<UbuntuFixture> Server = new(() => UbuntuFixture.Start(PackedSdk.Instance.Root));

    /// <summary>
    /// The two builds, each a fixture of its own (so that a class that pauses the background queue waits for one build,
    /// not both); may start in the background before the class runs.
    /// </summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> MinimalFixture = new("ubuntu-minimal", () =>
    {
        var minimal = Project("ubuntu-minimal-vm", "ubuntu-minimal", Server.Value.Mirror, Server.Value.Keyring, fromTemplate: true);
        return (minimal, minimal.Build("-p:ImageFormats=qcow2%3Braw"));
    });

    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> CloudFixture = new("ubuntu-cloud", () =>
    {
        var cloud = Project("ubuntu-cloud-vm", "ubuntu", Server.Value.Mirror, Server.Value.Keyring, Server.Value.CloudImages, fromTemplate: true);
        return (cloud, cloud.Build("-p:ImageFormats=qcow2%3Braw"));
    });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_fixture = Server.Value;
        (s_minimal, s_minimalBuild) = MinimalFixture.Result;
        (s_cloud, s_cloudBuild) = CloudFixture.Result;
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_minimal?.Dispose();
        s_cloud?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
        s_fixture?.Dispose();
    }

    private static ImageProject Project(string name, string osElement, string mirror, string? keyring, string? cloudImages = null,
        string release = UbuntuFixture.Release, string? cloudKeyring = null, string? kernel = null, bool fromTemplate = false)
    {
        var environment = "";
        if (kernel is not null)
            environment += $"""<ElementEnvironment Include="DIB_UBUNTU_KERNEL" Value="{kernel}" />""";
        if (keyring is not null)
            environment += $"""<ElementEnvironment Include="DIB_APT_KEYRING" Value="{keyring}" />""";
        if (cloudImages is not null)
            environment += $"""<ElementEnvironment Include="DIB_CLOUD_IMAGES" Value="{cloudImages}" />""";
        if ((cloudKeyring ?? keyring) is { } cloudKey && cloudImages is not null)
            environment += $"""<ElementEnvironment Include="DIB_CLOUD_IMAGES_KEYRING" Value="{cloudKey}" />""";
        var properties = $"""
            <PropertyGroup>
              <DistroRelease>{release}</DistroRelease>
              <DistributionMirror>{mirror}</DistributionMirror>
            </PropertyGroup>
            """;
        if (fromTemplate)
        {
            // As a user makes one (`dotnet new imgproj --os ubuntu-minimal` or `--os ubuntu`), then pointed at the fixture.
            var project = ImageProject.CreateFromTemplate(name, "--os", osElement, "--layout", "mbr", "--formats", "qcow2;raw");
            project.AddToProject(properties + $"<ItemGroup>{environment}</ItemGroup>");
            return project;
        }
        return ImageProject.Create(name, $"""
            {properties}
            <ItemGroup>
              <Element Include="{osElement}" />
              <Element Include="vm" />
              {environment}
            </ItemGroup>
            """);
    }

    private static string Raw(ImageProject project) => Path.Combine(project.OutputDirectory(), $"{project.Name}.raw");

    private static string Qcow2(ImageProject project) => Path.Combine(project.OutputDirectory(), $"{project.Name}.qcow2");

    private static string[] Packages(ImageProject project) =>
        File.ReadAllLines(Path.Combine(project.OutputDirectory(), $"{project.Name}.manifests", "packages.txt"));

    /// <summary>The files in the project's image tree after a failed build (none: the tree was never touched).</summary>
    private static string[] TreeEntries(ImageProject project)
    {
        var obj = Path.Combine(project.Directory, "obj");
        if (!Directory.Exists(obj))
            return [];
        return [.. Directory.EnumerateDirectories(obj, "tree", SearchOption.AllDirectories).SelectMany(Directory.EnumerateFileSystemEntries)];
    }

    /// <param name="ownCache">A download cache of the project's own, so that a good image cached by another test
    /// (under the same signed checksum) does not stand in for the bad one the server sends.</param>
    private static BuildResult BuildBad(ImageProject project, bool ownCache = false)
    {
        s_others.Add(project);
        return ownCache ? project.Build($"-p:DiskImageCacheDir={Path.Combine(project.Directory, "cache")}") : project.Build();
    }

    private static void AssertCodedErrorBeforeTheTree(ImageProject project, BuildResult result, string code, string namedValue)
    {
        Assert.AreNotEqual(0, result.ExitCode, "dotnet build must exit non-zero");
        CollectionAssert.AreEqual(new[] { code }, result.ErrorCodes.ToArray(), result.Output);
        StringAssert.Contains(result.Errors[0], namedValue);
        Assert.IsEmpty(TreeEntries(project), "nothing was written into the tree");
    }

    [TestMethod]
    public void Minimal_BuildsWithTheVirtualKernelAndUbuntuSources()
    {
        s_minimalBuild.AssertSucceeded();
        ImageFiles.AssertFilesystemClean(Raw(s_minimal));
        var packages = Packages(s_minimal);
        foreach (var name in new[] { "linux-image-virtual", "systemd-sysv", "initramfs-tools", "ubuntu-keyring", "sudo", "grub-pc-bin" })
            Assert.IsTrue(packages.Any(l => l.StartsWith(name + "\t", StringComparison.Ordinal)), $"{name} is installed");
        var sources = ImageFiles.ReadFile(Raw(s_minimal), "/etc/apt/sources.list.d/ubuntu.sources");
        StringAssert.Contains(sources, $"URIs: {s_fixture.Mirror}");
        StringAssert.Contains(sources, $"Suites: {UbuntuFixture.Release} {UbuntuFixture.Release}-updates {UbuntuFixture.Release}-security {UbuntuFixture.Release}-backports");
        StringAssert.Contains(sources, "Components: main universe");
        Assert.IsFalse(ImageFiles.Exists(Raw(s_minimal), "/etc/apt/sources.list"), "one layout only: deb822");
        Assert.AreEqual("ubuntu", ImageFiles.ReadFile(Raw(s_minimal), "/etc/hostname").Trim());
        StringAssert.Contains(File.ReadAllText(Path.Combine(s_minimal.OutputDirectory(), "ubuntu-minimal-vm.manifests", "environment.txt")),
            "DISTRO_NAME=ubuntu");
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Minimal_BootsToLoginPrompt()
    {
        s_minimalBuild.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Qcow2(s_minimal), "qcow2", TimeSpan.FromSeconds(300), Path.Combine(s_minimal.Directory, "boot-console.log"));
    }

    [TestMethod]
    public void Cloud_BuildsFromTheVerifiedCloudImage_CachedByDigest()
    {
        s_cloudBuild.AssertSucceeded();
        ImageFiles.AssertFilesystemClean(Raw(s_cloud));
        var packages = Packages(s_cloud);
        foreach (var name in new[] { "cloud-init", "linux-image-virtual", "grub-pc-bin" })
            Assert.IsTrue(packages.Any(l => l.StartsWith(name + "\t", StringComparison.Ordinal)), $"{name} is installed");
        var sources = ImageFiles.ReadFile(Raw(s_cloud), "/etc/apt/sources.list.d/ubuntu.sources");
        Assert.DoesNotContain(".invalid", sources, "every URI of the cloud image was pointed at the mirror");
        StringAssert.Contains(sources, $"URIs: {s_fixture.Mirror}");
        if (s_fixture.IsLocal)
        {
            var sums = File.ReadAllText(Path.Combine(s_fixture.Directory, "cloud", "good", "SHA256SUMS"));
            var digest = sums.Split('\n')[0].Split(' ')[0];
            Assert.IsTrue(File.Exists(Path.Combine(ImageProject.CacheDirectory, "ubuntu-cloud-images", digest + ".squashfs")),
                "the image is kept in the download cache under its SHA-256");
        }
        var listing = Command.StandardOutput("debugfs", "-R", "stat /etc/resolv.conf", $"{Raw(s_cloud)}?offset={ImageFiles.FirstPartitionOffset}");
        StringAssert.Contains(listing, "Type: symlink", "the image's resolv.conf link to systemd-resolved is put back");
        StringAssert.Contains(ImageFiles.ReadFile(Raw(s_cloud), "/etc/cloud/cloud.cfg.d/91-dib-cloud-init-datasources.cfg"), "datasource_list");
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Cloud_BootsToLoginPrompt()
    {
        s_cloudBuild.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Qcow2(s_cloud), "qcow2", TimeSpan.FromSeconds(300), Path.Combine(s_cloud.Directory, "boot-console.log"));
    }

    [TestMethod]
    public void Minimal_UnknownRelease_FailsWithDIB2401()
    {
        var project = Project("ubuntu-bad-release", "ubuntu-minimal", s_fixture.Mirror, s_fixture.Keyring, release: "nobel");
        AssertCodedErrorBeforeTheTree(project, BuildBad(project), "DIB2401", "'nobel'");
    }

    [TestMethod]
    public void Minimal_HweKernelOnAReleaseWithoutOne_FailsWithDIB2406()
    {
        // package-installs would skip every linux-generic-hwe-* line on plucky and leave the image without a kernel.
        var project = Project("ubuntu-bad-kernel", "ubuntu-minimal", s_fixture.Mirror, s_fixture.Keyring, release: "plucky", kernel: "linux-image-hwe");
        AssertCodedErrorBeforeTheTree(project, BuildBad(project), "DIB2406", "'plucky'");
    }

    [TestMethod]
    public void Minimal_MirrorThatDoesNotAnswer_FailsWithDIB2402()
    {
        var mirror = $"http://127.0.0.1:{LoopbackHttpServer.FreePort()}/ubuntu";
        var project = Project("ubuntu-no-mirror", "ubuntu-minimal", mirror, s_fixture.Keyring);
        AssertCodedErrorBeforeTheTree(project, BuildBad(project), "DIB2402", mirror);
    }

    [TestMethod]
    public void Minimal_ArchiveSignedByAnotherKey_FailsWithDIB2403()
    {
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("needs the fixture: the real archive is signed by Ubuntu's key");
        // Without DIB_APT_KEYRING the element trusts Ubuntu's own keys, which did not sign the fixture.
        var project = Project("ubuntu-bad-signature", "ubuntu-minimal", s_fixture.Mirror, keyring: null);
        AssertCodedErrorBeforeTheTree(project, BuildBad(project), "DIB2403", "InRelease");
    }

    [TestMethod]
    public void Cloud_SignatureThatDoesNotVerify_FailsWithDIB2403()
    {
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("needs the fixture");
        var project = Project("ubuntu-cloud-badsig", "ubuntu", s_fixture.Mirror, s_fixture.Keyring, s_fixture.CloudFolder("badsig"));
        AssertCodedErrorBeforeTheTree(project, BuildBad(project, ownCache: true), "DIB2403", "SHA256SUMS");
    }

    [TestMethod]
    public void Cloud_TamperedImage_FailsWithDIB2404()
    {
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("needs the fixture");
        var project = Project("ubuntu-cloud-tampered", "ubuntu", s_fixture.Mirror, s_fixture.Keyring, s_fixture.CloudFolder("tampered"));
        AssertCodedErrorBeforeTheTree(project, BuildBad(project, ownCache: true), "DIB2404", "SHA-256");
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(project.Directory, "cache"), "*.squashfs", SearchOption.AllDirectories).Any(),
            "the tampered image is not cached");
    }
}
