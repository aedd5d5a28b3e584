using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// `gentoo`: a tree built once from the Gentoo mirror of <see cref="RpmFixture"/> (Fixtures/gentoo-fixture.sh: a signed
/// stage3 list, a stage3 archive with its detached signature, an ebuild repository snapshot, served on the loopback
/// interface), read back from its tar; then the bad inputs, each one coded error before the tree is touched. No Gentoo
/// mirror is reachable from the build hosts and Debian has no portage: the fixture's stage3 is the RPM fixture's
/// userland with stand-ins for portage's programs that record their calls, so these tests show what the element
/// fetches, checks, unpacks and asks portage for, not what portage does with it.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class GentooTests
{
    private const string Stage3 = "stage3-amd64-openrc-20261201T170000Z.tar.xz";
    private const string Profile = "default/linux/amd64/23.0";

    private static RpmFixture? s_fixture;
    private static bool s_real;
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static readonly List<ImageProject> s_others = [];

    /// <summary>The class's build (not its bad inputs); may start in the background (<see cref="BackgroundBuilds"/>).</summary>
    internal static readonly FixtureBuild<bool> Fixture = new("gentoo", () =>
    {
        var real = Environment.GetEnvironmentVariable("DIB_TEST_GENTOO_MIRROR");
        if (!string.IsNullOrEmpty(real))
        {
            // Gentoo's own mirror: its stage3, snapshot and portage, none of the fixture's packages or stand-ins.
            s_real = true;
            s_project = Project("gentoo-tree", $"""
                <ElementEnvironment Include="DIB_DISTRIBUTION_MIRROR" Value="{real}" />
                <ElementEnvironment Include="DIB_GENTOO_KEYRING" Value="{Environment.GetEnvironmentVariable("DIB_TEST_GENTOO_KEYRING")}" />
                """);
            s_build = s_project.Build();
        }
        var fixture = RpmFamilyContainerTests.Server.Value;
        if (!fixture.IsLocal)
            return false;
        s_fixture = fixture;
        if (s_real)
            return true;
        s_project = Project("gentoo-tree", $"""
            <Element Include="gentoo-probe" />
            {Mirror("gentoo")}
            <ElementEnvironment Include="GENTOO_OVERLAYS" Value="dib-fixture-overlay" />
            <ElementEnvironment Include="GENTOO_PYTHON_TARGETS" Value="python3_12 python3_13" />
            """);
        s_project.AddTestElement("gentoo-probe");
        s_build = s_project.Build();
        return true;
    });

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        _ = Fixture.Result;
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
    }

    private static string Mirror(string name, bool keyring = true) =>
        $"""<ElementEnvironment Include="DIB_DISTRIBUTION_MIRROR" Value="{s_fixture!.GentooMirror(name)}" />"""
        + (keyring ? $"""<ElementEnvironment Include="DIB_GENTOO_KEYRING" Value="{s_fixture.KeyFile}" />""" : "");

    private static ImageProject Project(string name, string items, string properties = "") => ImageProject.Create(name, $"""
        <PropertyGroup>
          <ImageFormats>tar</ImageFormats>
          <ElementsPath>elements</ElementsPath>
          {properties}
        </PropertyGroup>
        <ItemGroup>
          <Element Include="gentoo" />
          {items}
        </ItemGroup>
        """);

    private static void NeedsTheFixture()
    {
        if (s_fixture is null)
            Assert.Inconclusive("DIB_TEST_RPM_REGISTRY names a real registry: the fixture Gentoo mirror is not made");
    }

    /// <summary>For the checks of the main build that need the fixture's own mirror (not DIB_TEST_GENTOO_MIRROR).</summary>
    private static void NeedsTheFixtureBuild()
    {
        if (s_real)
            Assert.Inconclusive("DIB_TEST_GENTOO_MIRROR: the build used a real Gentoo mirror");
        NeedsTheFixture();
    }

    private static string Tar => Path.Combine(s_project.OutputDirectory(), s_project.Name + ".tar");

    private static string[] TarListing() =>
        Command.StandardOutput("tar", "-tvf", Tar).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string TarFile(string path) => Command.StandardOutput("tar", "-xOf", Tar, path);

    private static string[] PortageCalls() => TarFile("usr/share/dib-fixture/portage-calls").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Builds <paramref name="project"/>, which must stop with <paramref name="code"/> alone and an empty tree; gives the message.</summary>
    private static string StopsBeforeTheTree(ImageProject project, string code) => StoppedBuild(project, code).Errors[0];

    private static BuildResult StoppedBuild(ImageProject project, string code)
    {
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { code }, build.ErrorCodes.ToArray(), build.Output);
        Assert.IsFalse(project.TreeTouched(), "nothing was written into the tree");
        return build;
    }

    private static string CachedStage3(string name = Stage3) => Path.Combine(ImageProject.CacheDirectory, "gentoo", name);

    [TestMethod]
    public void Gentoo_ChecksTheSignedListTheArchiveAndTheSnapshot_ThenUnpacksTheStage3AndCachesIt()
    {
        if (s_build is null)
            NeedsTheFixture();
        s_build!.AssertSucceeded();
        StringAssert.Contains(s_build.Output, "Signature of the stage3 list: good");
        StringAssert.Matches(s_build.Output, new System.Text.RegularExpressions.Regex(@"Signature of stage3-amd64-openrc-\d{8}T\d{6}Z\.tar\.xz: good"));
        StringAssert.Contains(s_build.Output, "Signature of the ebuild repository snapshot: good");
        StringAssert.Contains(s_build.Output, $"Profile {Profile}: in the snapshot");
        StringAssert.Contains(TarFile("usr/lib/os-release"), "ID=gentoo");
        NeedsTheFixtureBuild();
        StringAssert.Contains(TarFile("usr/share/dib-fixture/gentoo-stage3"), "gentoo-fixture.sh");
        Assert.IsTrue(File.Exists(CachedStage3()), "the verified archive is cached by its name");
        Assert.AreEqual(
            Command.StandardOutput("sha256sum", s_fixture!.Directory + $"/gentoo/releases/amd64/autobuilds/20261201T170000Z/{Stage3}").Split(' ')[0],
            Command.StandardOutput("sha256sum", CachedStage3()).Split(' ')[0], "the cached archive is the mirror's");
    }

    [TestMethod]
    public void Gentoo_SetsTheProfileTimezoneLocalesAndUseFlags_AsDiskimageBuilderDoes()
    {
        if (s_build is null)
            NeedsTheFixture();
        s_build!.AssertSucceeded();
        var profileLink = TarListing().Single(l => l.Contains(" etc/portage/make.profile ", StringComparison.Ordinal));
        StringAssert.EndsWith(profileLink, $"-> ../../var/db/repos/gentoo/profiles/{Profile}");
        Assert.AreEqual("UTC", TarFile("etc/timezone").Trim());
        StringAssert.Contains(TarFile("etc/locale.gen"), "en_US.UTF-8 UTF-8");
        StringAssert.Contains(TarFile("etc/env.d/02locale"), "LANG=\"en_US.utf8\"", "eselect locale set ran");
        var grub = TarFile("etc/portage/package.use/grub");
        StringAssert.Contains(grub, "sys-boot/grub grub_platforms_efi-64");
        StringAssert.Contains(grub, "sys-boot/grub grub_platforms_pc", "BIOS GRUB on amd64");
        NeedsTheFixtureBuild();
        StringAssert.Contains(TarFile("etc/portage/make.conf"), "PYTHON_TARGETS=\"python3_12 python3_13\"");
    }

    [TestMethod]
    public void Gentoo_InstallsPackagesWithEmerge_RemovesByDeselectAndDepclean_AndListsThemInPackagesTxt()
    {
        NeedsTheFixtureBuild();
        s_build.AssertSucceeded();
        var calls = PortageCalls();
        var installs = calls.Where(c => c.StartsWith("emerge ", StringComparison.Ordinal) && c.Contains("--noreplace --changed-use", StringComparison.Ordinal)).ToArray();
        foreach (var atom in new[] { "app-admin/sudo", "sys-fs/dosfstools", "sys-kernel/gentoo-kernel-bin", "app-misc/dib-fixture-probe" })
            Assert.IsTrue(installs.Any(c => c.Split(' ').Contains(atom)), $"{atom} is installed with emerge --noreplace --changed-use:\n{string.Join('\n', calls)}");
        Assert.IsTrue(installs.All(c => c.Contains("--usepkg=y", StringComparison.Ordinal)), "GENTOO_EMERGE_DEFAULT_OPTS reach emerge");
        CollectionAssert.Contains(calls, "  USE=-build FEATURES=binpkg-multi-instance buildpkg parallel-fetch parallel-install");
        Assert.IsTrue(calls.Any(c => c.EndsWith("--deselect app-misc/dib-fixture-removed", StringComparison.Ordinal)), "removing deselects");
        var packages = File.ReadAllLines(Path.Combine(s_project.OutputDirectory(), s_project.Name + ".manifests", "packages.txt"));
        CollectionAssert.Contains(packages, "app-admin/sudo\t1.0\tx86_64");
        CollectionAssert.Contains(packages, "app-misc/dib-fixture-probe\t1.0\tx86_64");
        CollectionAssert.Contains(packages, "sys-apps/baselayout\t2.17\tx86_64", "the stage3's own package");
        Assert.IsFalse(packages.Any(p => p.StartsWith("app-misc/dib-fixture-removed", StringComparison.Ordinal)), "the removed package is gone (depclean)");
    }

    [TestMethod]
    public void Gentoo_EnablesOverlays_UpdatesWorld_ThenDropsTheEbuildRepositoryFromTheImage()
    {
        NeedsTheFixtureBuild();
        s_build.AssertSucceeded();
        var calls = PortageCalls();
        CollectionAssert.Contains(calls, "eselect repository enable dib-fixture-overlay");
        CollectionAssert.Contains(calls, "emaint sync --repo dib-fixture-overlay");
        Assert.IsTrue(calls.Any(c => c.StartsWith("emerge ", StringComparison.Ordinal) && c.EndsWith("--update --changed-use --deep @world", StringComparison.Ordinal)), "post-install updates @world");
        CollectionAssert.Contains(calls, "emerge --verbose=n --depclean");
        var listing = TarListing();
        Assert.IsTrue(listing.Any(l => l.EndsWith(" var/db/repos/gentoo/", StringComparison.Ordinal)), "the repository's folder stays");
        Assert.IsFalse(listing.Any(l => l.Contains(" var/db/repos/gentoo/profiles", StringComparison.Ordinal)), "its contents are not in the image (GENTOO_PORTAGE_CLEANUP)");
    }

    [TestMethod]
    public void Gentoo_WithoutAMirrorOrAKey_StopsBeforeAnythingIsFetched()
    {
        NeedsTheFixture();
        var message = StopsBeforeTheTree(Project("gentoo-nomirror", ""), "DIB2521");
        StringAssert.Contains(message, "DIB_DISTRIBUTION_MIRROR");
        message = StopsBeforeTheTree(Project("gentoo-nokey", Mirror("gentoo", keyring: false)), "DIB2523");
        StringAssert.Contains(message, "DIB_GENTOO_KEYRING");
    }

    [TestMethod]
    public void Gentoo_AListOrArchiveSignedByAnotherKey_StopsWithNothingCached()
    {
        NeedsTheFixture();
        var message = StopsBeforeTheTree(Project("gentoo-badlist", Mirror("gentoo-badsig")), "DIB2523");
        StringAssert.Contains(message, "the stage3 list");
        const string desktop = "stage3-amd64-desktop-openrc-20261201T170000Z.tar.xz";
        message = StopsBeforeTheTree(Project("gentoo-badarchive", Mirror("gentoo")
            + $"""<ElementEnvironment Include="GENTOO_PROFILE" Value="{Profile}/desktop" />"""), "DIB2523");
        StringAssert.Contains(message, desktop);
        Assert.IsFalse(File.Exists(CachedStage3(desktop)), "an archive whose signature does not verify is not cached");
    }

    [TestMethod]
    public void Gentoo_AProfileWithoutAStage3OrNotInTheSnapshot_IsNamed()
    {
        NeedsTheFixture();
        var message = StopsBeforeTheTree(Project("gentoo-nostage3", Mirror("gentoo")
            + $"""<ElementEnvironment Include="GENTOO_PROFILE" Value="{Profile}/systemd" />"""), "DIB2522");
        StringAssert.Contains(message, "latest-stage3-amd64-systemd.txt");
        // With BASE_IMAGE_FILE the archive comes from the cache; the profile is then looked up in the snapshot.
        var hardened = Project("gentoo-noprofile", Mirror("gentoo")
            + $"""<ElementEnvironment Include="GENTOO_PROFILE" Value="{Profile}/hardened" />"""
            + $"""<ElementEnvironment Include="BASE_IMAGE_FILE" Value="{s_fixture!.GentooMirror("gentoo")}/releases/amd64/autobuilds/20261201T170000Z/{Stage3}" />""");
        var build = StoppedBuild(hardened, "DIB2524");
        StringAssert.Contains(build.Errors[0], $"{Profile}/hardened");
        StringAssert.Contains(build.Errors[0], $"{Profile}/desktop", "the snapshot's profiles are listed");
        if (!s_real)
            StringAssert.Contains(build.Output, $"Stage3 archive {Stage3}: cached as", "the archive verified before is not downloaded again");
        // A cached archive that no longer verifies is downloaded again, and the cache mended.
        File.WriteAllText(CachedStage3(), "not the archive");
        build = hardened.Build();
        CollectionAssert.AreEqual(new[] { "DIB2524" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Output, $"Downloading {Stage3}");
        Assert.AreEqual(
            Command.StandardOutput("sha256sum", s_fixture.Directory + $"/gentoo/releases/amd64/autobuilds/20261201T170000Z/{Stage3}").Split(' ')[0],
            Command.StandardOutput("sha256sum", CachedStage3()).Split(' ')[0], "the cache holds the mirror's archive again");
    }

    [TestMethod]
    [DataRow("i386", Profile, "amd64 and arm64")]
    [DataRow("amd64", "default/linux/arm64/23.0", "not below default/linux/amd64/23.0")]
    [DataRow("amd64", "default/linux/amd64/23.0/../../../../../etc", "not a profile name")]
    public void Gentoo_AnArchitectureOrProfileItCannotBuild_StopsBeforeAnythingIsFetched(string arch, string profile, string expected)
    {
        NeedsTheFixture();
        var message = StopsBeforeTheTree(Project($"gentoo-bad-{arch}-{s_others.Count}", Mirror("gentoo")
            + $"""<ElementEnvironment Include="GENTOO_PROFILE" Value="{profile}" />""", $"<TargetArch>{arch}</TargetArch>"), "DIB2524");
        StringAssert.Contains(message, expected);
    }

    [TestMethod]
    public void Gentoo_AStage3WhoseEtcIsALinkToTheHosts_IsRefused_AndTheHostUntouched()
    {
        NeedsTheFixture();
        var before = File.GetLastWriteTimeUtc("/etc/resolv.conf");
        var project = Project("gentoo-hostile", Mirror("gentoo")
            + $"""<ElementEnvironment Include="GENTOO_PROFILE" Value="{Profile}/hostile" />""");
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB5050" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "/etc is a symbolic link");
        Assert.AreEqual(before, File.GetLastWriteTimeUtc("/etc/resolv.conf"), "the host's resolv.conf is not written");
    }

    [TestMethod]
    public void Gentoo_AsADiskImage_StopsBeforeAnythingIsFetched()
    {
        NeedsTheFixture();
        var message = StopsBeforeTheTree(Project("gentoo-vm", """<Element Include="vm" />""" + Mirror("gentoo")), "DIB2508");
        StringAssert.Contains(message, "gentoo");
    }
}
