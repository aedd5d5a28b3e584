using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The RPM family from the vendors' cloud images: `fedora` (a btrfs image with a signed CHECKSUM file), `centos` (an XFS
/// image with its SHA256SUM) and `rhel` (the XFS image as a downloaded file, registered with a stand-in
/// subscription-manager), each built once from the fixture images of <see cref="RpmFixture"/> (made by
/// Fixtures/cloud-image-fixture.sh, served on the loopback interface) and read back from its tar; then the bad inputs,
/// each one coded error before the tree is touched. The vendors' own images are not reachable from the build hosts;
/// DIB_TEST_FEDORA_CLOUD_IMAGES and DIB_TEST_FEDORA_CLOUD_KEYRING run the Fedora build against a real folder, the checks
/// that need the fixture's own files then inconclusive.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class RpmFamilyCloudImageTests
{
    private const string CentosImage = "CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2";
    private static readonly string FedoraImage = $"Fedora-Cloud-Base-Generic-{RpmFixture.Release}-1.6.x86_64.qcow2";

    // The registration password, given to the build in an environment variable only.
    private static readonly string RhsmPassword = "rhsm-" + Guid.NewGuid().ToString("N");

    private static RpmFixture? s_fixture;
    private static bool s_realFedora;
    private static ImageProject s_fedora = null!, s_centos = null!, s_rhel = null!;
    private static BuildResult s_fedoraBuild = null!, s_centosBuild = null!, s_rhelBuild = null!;
    private static readonly List<ImageProject> s_others = [];

    /// <summary>The class's builds (not its bad inputs); may start in the background (<see cref="BackgroundBuilds"/>).</summary>
    internal static readonly FixtureBuild<bool> Fixture = new("rpm-cloud-images", () =>
    {
        BuildAll();
        return true;
    });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        _ = Fixture.Result;
    }

    private static void BuildAll()
    {
        var realFolder = Environment.GetEnvironmentVariable("DIB_TEST_FEDORA_CLOUD_IMAGES");
        var fixture = RpmFamilyContainerTests.Server.Value;
        if (fixture.IsLocal)
            s_fixture = fixture;
        if (!string.IsNullOrEmpty(realFolder))
        {
            s_realFedora = true;
            s_fedora = Project("fedora-cloud", "fedora", RpmFixture.Release, $"""
                <ElementEnvironment Include="DIB_CLOUD_IMAGES" Value="{realFolder}" />
                <ElementEnvironment Include="DIB_CLOUD_IMAGES_KEYRING" Value="{Environment.GetEnvironmentVariable("DIB_TEST_FEDORA_CLOUD_KEYRING")}" />
                """, repo: false);
            s_fedoraBuild = s_fedora.Build();
        }
        if (s_fixture is null)
            return;
        if (s_fedora is null)
        {
            s_fedora = Project("fedora-cloud", "fedora", RpmFixture.Release, FedoraFolder("fedora", keyring: true));
            s_fedoraBuild = s_fedora.Build();
        }
        s_centos = Project("centos-cloud", "centos", "9-stream", $"""<ElementEnvironment Include="DIB_CLOUD_IMAGES" Value="{s_fixture.CloudImages("centos")}" />""");
        s_centosBuild = s_centos.Build();
        var image = s_fixture.CloudImageFile("centos", CentosImage);
        s_rhel = Project("rhel-cloud", "rhel", "9", $"""
            <Element Include="rhsm-probe" />
            <ElementEnvironment Include="DIB_LOCAL_IMAGE" Value="{image}" />
            <ElementEnvironment Include="DIB_LOCAL_IMAGE_SHA256" Value="{Sha256(image)}" />
            <ElementEnvironment Include="REG_METHOD" Value="portal" />
            <ElementEnvironment Include="REG_USER" Value="fixture-user" />
            <ElementEnvironment Include="REG_PASSWORD" FromEnvironment="DIB_TEST_RHSM_PASSWORD" Secret="true" />
            """);
        s_rhel.AddTestElement("rhsm-probe");
        s_rhel.Environment["DIB_TEST_RHSM_PASSWORD"] = RhsmPassword;
        s_rhelBuild = s_rhel.Build();
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_fedora?.Dispose();
        s_centos?.Dispose();
        s_rhel?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
    }

    private static string FedoraFolder(string folder, bool keyring) =>
        $"""<ElementEnvironment Include="DIB_CLOUD_IMAGES" Value="{s_fixture!.CloudImages(folder)}" />"""
        + (keyring ? $"""<ElementEnvironment Include="DIB_CLOUD_IMAGES_KEYRING" Value="{s_fixture.KeyFile}" />""" : "");

    private static ImageProject Project(string name, string element, string release, string environment, bool repo = true)
    {
        // The fixture tree's dnf installs from the fixture repository (the images' own repository files name Fedora's).
        if (repo && s_fixture is not null)
            environment += $"""<ElementEnvironment Include="DIB_YUM_REPO_CONF" Value="{s_fixture.RepoFile("repo")}" />""";
        return ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <DistroRelease>{release}</DistroRelease>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="{element}" />
              {environment}
            </ItemGroup>
            """);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static void NeedsTheFixture()
    {
        if (s_fixture is null)
            Assert.Inconclusive("DIB_TEST_RPM_REGISTRY names a real registry: the fixture cloud images are not made");
    }

    /// <summary>For the checks of the Fedora build that need the fixture's own image (not Fedora's real folder).</summary>
    private static void NeedsTheFedoraFixture()
    {
        NeedsTheFixture();
        if (s_realFedora)
            Assert.Inconclusive("DIB_TEST_FEDORA_CLOUD_IMAGES: the Fedora build used Fedora's real folder");
    }

    private static string Tar(ImageProject project) => Path.Combine(project.OutputDirectory(), project.Name + ".tar");

    private static string[] TarListing(ImageProject project) =>
        Command.StandardOutput("tar", "-tf", Tar(project)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string TarFile(ImageProject project, string path) => Command.StandardOutput("tar", "-xOf", Tar(project), path);

    private static string[] Packages(ImageProject project) =>
        File.ReadAllLines(Path.Combine(project.OutputDirectory(), project.Name + ".manifests", "packages.txt"));

    /// <summary>Builds <paramref name="project"/>, which must stop with <paramref name="code"/> alone and an empty tree; gives the message.</summary>
    private static string StopsBeforeTheTree(ImageProject project, string code)
    {
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { code }, build.ErrorCodes.ToArray(), build.Output);
        Assert.IsFalse(project.TreeTouched(), "nothing was written into the tree");
        return build.Errors[0];
    }

    /// <summary>No loop device of the build is left on the host (its mounts were in the script's own mount namespace).</summary>
    private static void AssertNoLoopDeviceLeft(ImageProject project)
    {
        var loops = Command.StandardOutput("losetup", "--list", "--noheadings", "--output", "BACK-FILE");
        Assert.DoesNotContain(project.Directory, loops, "a loop device of the build is left");
    }

    [TestMethod]
    public void Fedora_TakesTheNewestSignedChecksumFileAndTheImageItLists_AndReadsEveryFilesystemOfIt()
    {
        s_fedoraBuild.AssertSucceeded();
        StringAssert.Matches(s_fedoraBuild.Output, new System.Text.RegularExpressions.Regex(
            @"Cloud image Fedora-Cloud-Base-(Generic-)?\d+-[0-9.]+\.x86_64\.qcow2: sha256:[0-9a-f]{64}"));
        StringAssert.Contains(s_fedoraBuild.Output, "Checksum file signature: good");
        StringAssert.Contains(TarFile(s_fedora, "etc/os-release"), "ID=fedora");
        NeedsTheFedoraFixture();
        StringAssert.Contains(s_fedoraBuild.Output, $"Cloud image {FedoraImage}: sha256:", "the newest compose's CHECKSUM (1.6, not 1.2) named the image");
        var listing = TarListing(s_fedora);
        // The btrfs subvolume root, and what the image's fstab places: /boot (ext4), /boot/efi (vfat), /home (subvolume home).
        foreach (var path in new[] { "usr/share/dib-fixture/cloud-image-root", "boot/dib-fixture-boot", "boot/efi/EFI/fedora/dib-fixture-efi", "home/fedora/dib-fixture-home" })
            Assert.IsTrue(listing.Contains(path), $"{path} of the image is in the tree");
        StringAssert.Contains(TarFile(s_fedora, "home/fedora/dib-fixture-home"), "from the btrfs subvolume home");
        AssertNoLoopDeviceLeft(s_fedora);
    }

    [TestMethod]
    public void Fedora_InstallsItsPackagesAndRedHatCommonsWithDnf()
    {
        s_fedoraBuild.AssertSucceeded();
        var packages = Packages(s_fedora);
        foreach (var name in new[] { "audit", "openssl", "vim-minimal", "kernel-modules", "redhat-rpm-config", "lsof", "which" })
            Assert.IsTrue(packages.Any(p => p.StartsWith(name + "\t", StringComparison.Ordinal)), $"{name} is installed; packages.txt:\n{string.Join('\n', packages)}");
        NeedsTheFedoraFixture();
        Assert.IsTrue(TarListing(s_fedora).Contains("usr/share/dib-fixture/pyOpenSSL"), "the package's file is in the tree");
        Assert.IsFalse(TarListing(s_fedora).Any(l => l.StartsWith("etc/yum.repos.d/dib-fixture", StringComparison.Ordinal)), "the build's repository file is not shipped");
    }

    [TestMethod]
    public void Centos_ReadsTheXfsImageCheckedAgainstItsSha256Sum()
    {
        NeedsTheFixture();
        s_centosBuild.AssertSucceeded();
        StringAssert.Contains(s_centosBuild.Output, $"Checksum file {CentosImage}.SHA256SUM is not signed");
        StringAssert.Contains(s_centosBuild.Output, $"Cloud image {CentosImage}: sha256:{Sha256(s_fixture!.CloudImageFile("centos", CentosImage))}");
        StringAssert.Contains(TarFile(s_centos, "etc/os-release"), "ID=\"centos\"");
        var listing = TarListing(s_centos);
        foreach (var path in new[] { "usr/share/dib-fixture/cloud-image-root", "boot/dib-fixture-boot", "boot/efi/EFI/centos/dib-fixture-efi" })
            Assert.IsTrue(listing.Contains(path), $"{path} of the image is in the tree");
        Assert.IsTrue(Packages(s_centos).Any(p => p.StartsWith("device-mapper-multipath\t", StringComparison.Ordinal)), "centos's package is installed");
        AssertNoLoopDeviceLeft(s_centos);
    }

    [TestMethod]
    public void Centos_MountPointsOfAHostileFstab_AreNotRead()
    {
        NeedsTheFixture();
        s_centosBuild.AssertSucceeded();
        foreach (var point in new[] { "//", "/.", "/../../tmp", "/srv" })
            StringAssert.Contains(s_centosBuild.Output, $"  {point} (UUID=", $"{point} is named as not read");
        Assert.DoesNotContain("/home: partition", s_centosBuild.Output, "a subvol= option on XFS mounts nothing");
        var listing = TarListing(s_centos);
        // /boot's file only where the image's fstab puts /boot, never over the root, /tmp or the host's /etc.
        Assert.IsFalse(listing.Contains("dib-fixture-boot"), "not over the root");
        Assert.IsFalse(listing.Any(l => l.StartsWith("tmp/", StringComparison.Ordinal) && l.EndsWith("dib-fixture-boot", StringComparison.Ordinal)), "not at /tmp");
        Assert.IsFalse(File.Exists("/etc/dib-fixture-boot"), "not through the link to the host's /etc");
        Assert.AreEqual(1, listing.Count(l => l.EndsWith("dib-fixture-boot", StringComparison.Ordinal)), "once, at /boot");
        StringAssert.Contains(s_centosBuild.Output, "partition 4: offset", "the partition whose name mimics sfdisk's fields is read by its real fields");
    }

    [TestMethod]
    public void Rhel_RegistersWithTheGivenAccount_Unregisters_AndThePasswordIsInNoLog()
    {
        NeedsTheFixture();
        s_rhelBuild.AssertSucceeded();
        var calls = TarFile(s_rhel, "usr/share/dib-fixture/rhsm-calls");
        StringAssert.Contains(calls, $"subscription-manager register --username fixture-user --password {RhsmPassword}", "the password reached the tool");
        StringAssert.Contains(calls, "subscription-manager repos --disable=*");
        StringAssert.Contains(calls, "subscription-manager repos --enable rhel-9-for-x86_64-appstream-rpms --enable rhel-9-for-x86_64-baseos-rpms");
        StringAssert.Contains(calls, "subscription-manager unregister");
        StringAssert.Contains(s_rhelBuild.Output, "--username fixture-user --password ***", "the log shows the options, masked");
        Assert.DoesNotContain(RhsmPassword, s_rhelBuild.Output, "the build log holds the password");
        Assert.IsEmpty(BinaryLogContent.Read(s_rhelBuild.BinaryLog).PlacesOf(RhsmPassword), "the binary log holds the password");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(s_rhel.OutputDirectory(), "rhel-cloud.manifests"), "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(RhsmPassword, File.ReadAllText(file), $"{file} holds the password");
        StringAssert.Contains(s_rhelBuild.Output, $"Cloud image {CentosImage}: sha256:{Sha256(s_fixture!.CloudImageFile("centos", CentosImage))}, from {s_fixture.CloudImageFile("centos", CentosImage)} (DIB_LOCAL_IMAGE)");
    }

    [TestMethod]
    [DataRow("DIB2501", "fedora", "38", "fedora", true, DisplayName = "DIB2501 a Fedora release the element does not know")]
    [DataRow("DIB2501", "centos", "8-stream", "centos", false, DisplayName = "DIB2501 a CentOS release the element does not know")]
    [DataRow("DIB2513", "fedora", RpmFixture.Release, null, false, DisplayName = "DIB2513 no DIB_CLOUD_IMAGES")]
    [DataRow("DIB2514", "centos", "9-stream", "no-such-folder", false, DisplayName = "DIB2514 a folder that is not there")]
    [DataRow("DIB2515", "centos", "9-stream", "centos-badsum", false, DisplayName = "DIB2515 an image whose SHA-256 is not its SHA256SUM's")]
    [DataRow("DIB2516", "fedora", RpmFixture.Release, "fedora-badsig", true, DisplayName = "DIB2516 a CHECKSUM signed by another key")]
    [DataRow("DIB2516", "fedora", RpmFixture.Release, "fedora", false, DisplayName = "DIB2516 a signed CHECKSUM and no key")]
    [DataRow("DIB2517", "centos", "9-stream", "backing", false, DisplayName = "DIB2517 an image with a backing file of the host")]
    public void BadInput_StopsWithOneCodedErrorBeforeTheTreeIsTouched(string code, string element, string release, string? folder, bool keyring)
    {
        NeedsTheFixture();
        var environment = folder is null ? "" : FedoraFolder(folder, keyring);
        var message = StopsBeforeTheTree(Project($"{element}-{code}-{folder ?? "none"}-{(keyring ? "key" : "nokey")}".ToLowerInvariant(), element, release, environment), code);
        switch (code)
        {
            case "DIB2515":
                StringAssert.Contains(message, "but the checksum file says");
                // (The same file is cached under its own SHA-256 by the good centos build: the two folders share it.)
                var listed = System.Text.RegularExpressions.Regex.Match(message, "checksum file says ([0-9a-f]{64})").Groups[1].Value;
                Assert.IsFalse(Directory.EnumerateFiles(ImageProject.CacheDirectory, listed + ".img*", SearchOption.AllDirectories).Any(),
                    "nothing was cached under the checksum file's SHA-256");
                break;
            case "DIB2517":
                StringAssert.Contains(message, "/etc/hostname", "the message names the backing file");
                break;
            case "DIB2513":
                StringAssert.Contains(message, "DIB_CLOUD_IMAGES");
                break;
        }
    }

    [TestMethod]
    public void Rhel_WithoutRegistration_StopsWithTheVariablesToSet()
    {
        NeedsTheFixture();
        var image = s_fixture!.CloudImageFile("centos", CentosImage);
        var message = StopsBeforeTheTree(Project("rhel-noreg", "rhel", "9", $"""<ElementEnvironment Include="DIB_LOCAL_IMAGE" Value="{image}" />"""), "DIB2518");
        foreach (var variable in new[] { "REG_METHOD", "REG_USER", "REG_PASSWORD", "REG_ACTIVATION_KEY", "REG_ORG", "disable" })
            StringAssert.Contains(message, variable);
    }

    [TestMethod]
    public void Rhel_ALocalImageWithAnotherSha256_StopsBeforeTheTree()
    {
        NeedsTheFixture();
        var image = s_fixture!.CloudImageFile("centos", CentosImage);
        var message = StopsBeforeTheTree(Project("rhel-badsum", "rhel", "9", $"""
            <ElementEnvironment Include="DIB_LOCAL_IMAGE" Value="{image}" />
            <ElementEnvironment Include="DIB_LOCAL_IMAGE_SHA256" Value="{new string('0', 64)}" />
            <ElementEnvironment Include="REG_METHOD" Value="disable" />
            """), "DIB2515");
        StringAssert.Contains(message, "not DIB_LOCAL_IMAGE_SHA256");
    }
}
