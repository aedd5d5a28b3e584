using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The RPM family from a container image: `fedora-container` built once from the registry of <see cref="RpmFixture"/>
/// (an RPM-family userland image on a loopback registry, and a signed RPM repository given with DIB_YUM_REPO_CONF),
/// read back from its tar; then the bad inputs, each one coded error, and a pinned image that is cached needing no
/// registry. The fixture's programs are Debian's (dnf and rpm among them); Fedora's own image and mirrors are not
/// reachable from the build hosts (DIB_TEST_RPM_REGISTRY runs the main build against a real registry).
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class RpmFamilyContainerTests
{
    private static RpmFixture s_fixture = null!;
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static readonly List<ImageProject> s_others = [];

    /// <summary>The loopback fixture, made once: at the run's start (<see cref="BackgroundBuilds"/>) or when the first RPM class runs.</summary>
    internal static readonly Lazy<RpmFixture> Server = new(() => RpmFixture.Start(PackedSdk.Instance.Root));

    /// <summary>The class's builds (not its bad inputs); may start in the background (<see cref="BackgroundBuilds"/>).</summary>
    internal static readonly FixtureBuild<bool> Fixture = new("fedora-from-registry", () =>
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
        s_fixture = Server.Value;
        // With no-final-image the tree is written as tar and no disk is made, though qcow2 is asked for.
        s_project = Project("fedora-from-registry", s_fixture.IsLocal ? "repo" : null,
            """<Element Include="selinux-permissive" /><Element Include="disable-selinux" /><Element Include="no-final-image" />""",
            formats: "tar;qcow2");
        if (s_fixture.IsLocal)
        {
            s_project.AddTestElement("rpm-probe");
            s_project.AddToProject("""<ItemGroup><Element Include="rpm-probe" /></ItemGroup>""");
        }
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
        // The fixture stops at the run's end (TestRunCleanup): RpmFamilyMinimalTests uses it too.
    }

    private static ImageProject Project(string name, string? repo, string extra = "", string formats = "tar")
    {
        var environment = $"""
            <ElementEnvironment Include="DIB_CONTAINER_REGISTRY" Value="{s_fixture.Registry}" />
            """;
        if (s_fixture.IsLocal)
            environment += """<ElementEnvironment Include="DIB_CONTAINER_TLS_VERIFY" Value="false" />""";
        if (repo is not null)
            environment += $"""<ElementEnvironment Include="DIB_YUM_REPO_CONF" Value="{s_fixture.RepoFile(repo)}" />""";
        return ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>{formats}</ImageFormats>
              <DistroRelease>{RpmFixture.Release}</DistroRelease>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="fedora-container" />
              {environment}
              {extra}
            </ItemGroup>
            """);
    }

    private static ImageProject Other(string name, string? repo, string extra = "", string formats = "tar")
    {
        var project = Project(name, repo, extra, formats);
        s_others.Add(project);
        return project;
    }

    private static string Tar => Path.Combine(s_project.OutputDirectory(), "fedora-from-registry.tar");

    private static string[] TarListing() =>
        Command.StandardOutput("tar", "-tf", Tar).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string TarFile(string path) => Command.StandardOutput("tar", "-xOf", Tar, path);

    private static string[] Packages() =>
        File.ReadAllLines(Path.Combine(s_project.OutputDirectory(), "fedora-from-registry.manifests", "packages.txt"));


    [TestMethod]
    public void Build_FromTheRegistryImage_NamesItsDigestAndInstallsTheRedHatFamilyPackagesWithDnf()
    {
        s_build.AssertSucceeded();
        StringAssert.Matches(s_build.Output, new System.Text.RegularExpressions.Regex(
            $@"Container image {System.Text.RegularExpressions.Regex.Escape(s_fixture.Registry)}/fedora:{RpmFixture.Release}: sha256:[0-9a-f]{{64}} for amd64"));
        StringAssert.Contains(TarFile("etc/os-release"), "ID=fedora");
        // redhat-common's packages (and base's iSCSI initiator, mapped for the family), installed by dnf as RPM packages.
        var packages = Packages();
        // The fixture's are noarch packages of its own (Debian's userland has none of these names as RPMs).
        var suffix = s_fixture.IsLocal ? "\tnoarch" : "";
        foreach (var name in new[] { "lsof", "tcpdump", "traceroute", "which", "gettext", "ca-certificates" })
            Assert.IsTrue(packages.Any(p => p.StartsWith(name + "\t", StringComparison.Ordinal) && p.EndsWith(suffix, StringComparison.Ordinal)),
                $"{name} is an installed RPM package; packages.txt:\n{string.Join('\n', packages)}");
        if (!s_fixture.IsLocal)
            return;
        Assert.IsTrue(packages.Any(p => p.StartsWith("iscsi-initiator-utils\t1.0-1\t", StringComparison.Ordinal)), "base's iscsi_package, pkg-mapped for the redhat family");
        CollectionAssert.Contains(TarListing(), "usr/share/dib-fixture/lsof", "the package's file is in the tree");
        // The repository's key was imported into the image's rpm database before its packages were verified with it.
        Assert.IsTrue(packages.Any(p => p.StartsWith("gpg-pubkey\t", StringComparison.Ordinal)), "the fixture key is in the rpm database");
    }

    [TestMethod]
    public void PackageInstalls_OfAnElement_AreMappedForTheRedHatFamily()
    {
        s_build.AssertSucceeded();
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("the probe package is the fixture repository's");
        CollectionAssert.Contains(TarListing(), "usr/share/dib-fixture/dib-fixture-probe");
        StringAssert.Contains(TarFile("usr/share/dib-fixture/dib-fixture-probe"), "from the fixture repository");
        Assert.DoesNotContain("probe-tool-that-no-repository-has", s_build.Output, "the default name was not asked for");
    }

    [TestMethod]
    public void Image_KeepsItsOwnRepositoriesAndTheRpmDistroSettings()
    {
        s_build.AssertSucceeded();
        var listing = TarListing();
        Assert.IsFalse(listing.Any(l => l.StartsWith("etc/yum.repos.d/dib-fixture", StringComparison.Ordinal)),
            "the DIB_YUM_REPO_CONF file is used for the build only: " + string.Join(", ", listing.Where(l => l.StartsWith("etc/yum.repos.d/", StringComparison.Ordinal))));
        StringAssert.Contains(TarFile("etc/sysconfig/network"), "NOZEROCONF=yes");
        var manifest = File.ReadAllText(Path.Combine(s_project.OutputDirectory(), "fedora-from-registry.manifests", "environment.txt"));
        StringAssert.Contains(manifest, "DISTRO_NAME=fedora");
    }

    [TestMethod]
    public void NoFinalImage_WritesTheTarButNoDisk()
    {
        s_build.AssertSucceeded();
        Assert.IsTrue(File.Exists(Tar));
        Assert.IsFalse(File.Exists(Path.Combine(s_project.OutputDirectory(), "fedora-from-registry.qcow2")), "no-final-image: no disk image");
    }

    [TestMethod]
    public void SelinuxElements_PermissiveWritesTheConfigAndDisableTurnsItOffLater()
    {
        s_build.AssertSucceeded();
        // selinux-permissive wrote the file at pre-install.d (its SELINUXTYPE line); disable-selinux, at post-install.d,
        // changed the mode.
        Assert.AreEqual("SELINUX=disabled\nSELINUXTYPE=targeted\n", TarFile("etc/selinux/config"));
    }

    [TestMethod]
    public void PinnedImage_ThatIsCached_NeedsNoRegistry()
    {
        s_build.AssertSucceeded();
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("pinned against the fixture's digest");
        var digest = s_fixture.Digest();
        // A registry nothing listens on: root.d must take the image from the cache by its digest. The build then stops
        // at extra-data.d on a repository file that is not there (DIB2506), which keeps this check short.
        using var project = ImageProject.Create("fedora-pinned-offline", $"""
            <PropertyGroup><ImageFormats>tar</ImageFormats><DistroRelease>{RpmFixture.Release}</DistroRelease></PropertyGroup>
            <ItemGroup>
              <Element Include="fedora-container" />
              <ElementEnvironment Include="DIB_CONTAINER_REGISTRY" Value="127.0.0.1:9" />
              <ElementEnvironment Include="DIB_CONTAINER_IMAGE_DIGEST" Value="{digest}" />
              <ElementEnvironment Include="DIB_YUM_REPO_CONF" Value="/nonexistent/dib-fixture.repo" />
            </ItemGroup>
            """);
        var build = project.Build();
        StringAssert.Contains(build.Output, $"Container image 127.0.0.1:9/fedora:{RpmFixture.Release}: {digest}, pinned and cached");
        CollectionAssert.AreEqual(new[] { "DIB2506" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "/nonexistent/dib-fixture.repo");
    }

    [TestMethod]
    [DataRow("DIB2501", "<DistroRelease>99</DistroRelease>", "", DisplayName = "a release the element does not know")]
    [DataRow("DIB2503", "", "<ElementEnvironment Include=\"DIB_CONTAINER_IMAGE_DIGEST\" Value=\"latest\" />", DisplayName = "a digest that is not one")]
    [DataRow("DIB2504", "", "<ElementEnvironment Include=\"DIB_CONTAINER_IMAGE_DIGEST\" Value=\"sha256:0000000000000000000000000000000000000000000000000000000000000000\" />", DisplayName = "the tag's digest is not the pinned one")]
    [DataRow("DIB2502", "", "<ElementEnvironment Include=\"DIB_CONTAINER_IMAGE\" Value=\"no-such-image:1\" />", DisplayName = "an image the registry does not have")]
    [DataRow("DIB2505", "", "<ElementEnvironment Include=\"DIB_CONTAINER_IMAGE\" Value=\"fedora:43-arm64\" />", DisplayName = "an image of another architecture")]
    [DataRow("DIB2508", "", "<Element Include=\"vm\" />", DisplayName = "a disk image with a bootloader")]
    public void BadInput_StopsWithOneCodedErrorBeforeTheTreeIsTouched(string code, string properties, string items)
    {
        if (!s_fixture.IsLocal && code is "DIB2504" or "DIB2502" or "DIB2505")
            Assert.Inconclusive("checked against the fixture's registry");
        var project = Other("fedora-bad-" + code.ToLowerInvariant(), "repo", items);
        if (properties.Length > 0)
            project.AddToProject($"<PropertyGroup>{properties}</PropertyGroup>");
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { code }, build.ErrorCodes.ToArray(), build.Output);
        Assert.IsFalse(project.TreeTouched(), "nothing was unpacked into the tree");
        var message = build.Errors[0];
        switch (code)
        {
            case "DIB2501":
                StringAssert.Contains(message, "'99'");
                StringAssert.Contains(message, RpmFixture.Release);
                break;
            case "DIB2504":
                StringAssert.Contains(message, s_fixture.Digest());
                break;
            case "DIB2505":
                StringAssert.Contains(message, "for arm64, not for amd64");
                break;
            case "DIB2508":
                StringAssert.Contains(message, "fedora");
                break;
        }
    }

    [TestMethod]
    [DataRow("rocky-container", "8, 9, 10", DisplayName = "Rocky Linux")]
    [DataRow("almalinux-container", "8, 9, 10", DisplayName = "AlmaLinux")]
    public void OtherContainerElements_WithAReleaseTheyDoNotKnow_NameTheirReleases(string element, string releases)
    {
        using var project = ImageProject.Create(element + "-bad-release", $"""
            <PropertyGroup><ImageFormats>tar</ImageFormats><DistroRelease>43</DistroRelease></PropertyGroup>
            <ItemGroup><Element Include="{element}" /></ItemGroup>
            """);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB2501" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], $"one of: {releases.Replace(",", "", StringComparison.Ordinal)}");
        Assert.IsFalse(project.TreeTouched(), "nothing was fetched or unpacked");
    }

    [TestMethod]
    public void Package_SignedByAnotherKey_IsRefusedWithACodedError()
    {
        if (!s_fixture.IsLocal)
            Assert.Inconclusive("the wrongly signed repository is the fixture's");
        var project = Other("fedora-badsig", "badsig");
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB2509" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "signature does not verify");
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory(), "fedora-badsig.tar")), "no image was written");
    }
}
