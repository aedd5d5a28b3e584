using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The RPM family into an empty root: `fedora-minimal` built once with the host's dnf, and `opensuse-minimal` once
/// with the host's zypper, from the loopback RPM repository
/// of <see cref="RpmFixture"/> (Fedora's release packages, the key package and a dnf package of the fixture's making,
/// signed with a key made per run), read back from its tar; then the bad inputs, each one coded error before the tree
/// is touched. Fedora's own mirrors are not reachable from the build hosts; DIB_TEST_FEDORA_REPOS (a folder of .repo
/// files for Fedora 43 on a real mirror, with gpgkey lines) runs the same build against one, the checks that need the
/// fixture's own packages or key then inconclusive.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class RpmFamilyMinimalTests
{
    private static RpmFixture? s_fixture;
    private static string s_repos = null!;
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static ImageProject? s_suse;
    private static BuildResult? s_suseBuild;
    private static readonly List<ImageProject> s_others = [];

    /// <summary>The class's builds (not its bad inputs); may start in the background (<see cref="BackgroundBuilds"/>).</summary>
    internal static readonly FixtureBuild<bool> Fixture = new("rpm-minimal", () =>
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
        var real = Environment.GetEnvironmentVariable("DIB_TEST_FEDORA_REPOS");
        if (string.IsNullOrEmpty(real))
        {
            // With DIB_TEST_RPM_REGISTRY the RPM fixture is a registry only: no repository to bootstrap from.
            var fixture = RpmFamilyContainerTests.Server.Value;
            if (!fixture.IsLocal)
                return;
            s_fixture = fixture;
        }
        s_repos = s_fixture?.BootstrapRepos("repo") ?? real!;
        s_project = Project("fedora-minimal-tree", "fedora-minimal", s_repos);
        s_build = s_project.Build();
        if (s_fixture is null)
            return;
        s_suse = SuseProject("opensuse-minimal-tree", s_fixture.RepoUrl("repo"), s_fixture.KeyUrl);
        s_suseBuild = s_suse.Build();
    }

    private static ImageProject SuseProject(string name, string? repo, string? key, string release = SuseRelease)
    {
        var environment = repo is null ? "" : $"""<ElementEnvironment Include="DIB_ZYPPER_REPOS" Value="oss=&gt;{repo}" />""";
        if (key is not null)
            environment += $"""<ElementEnvironment Include="DIB_ZYPPER_KEYS" Value="{key}" />""";
        return TreeProject(name, "opensuse-minimal", environment, release);
    }

    /// <summary>The openSUSE release of the fixture's openSUSE-release package.</summary>
    private const string SuseRelease = "15.6";

    [TestInitialize]
    public void NeedsRepositories()
    {
        if (s_repos is null)
            Assert.Inconclusive("DIB_TEST_RPM_REGISTRY names a registry, not a mirror: set DIB_TEST_FEDORA_REPOS too");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
        s_suse?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
    }

    private static ImageProject Project(string name, string element, string? repos, string release = RpmFixture.Release)
    {
        var environment = repos is null ? "" : $"""<ElementEnvironment Include="DIB_YUM_MINIMAL_BOOTSTRAP_REPOS" Value="{repos}" />""";
        return TreeProject(name, element, environment, release);
    }

    /// <summary>A project that makes a tar of <paramref name="element"/>'s tree with the given ElementEnvironment items.</summary>
    private static ImageProject TreeProject(string name, string element, string environment, string release) =>
        ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <DistroRelease>{release}</DistroRelease>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="{element}" />
              {environment}
            </ItemGroup>
            """);

    private static string Tar => Path.Combine(s_project.OutputDirectory(), "fedora-minimal-tree.tar");

    private static string[] TarListing() =>
        Command.StandardOutput("tar", "-tvf", Tar).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string TarFile(string path) => Command.StandardOutput("tar", "-xOf", Tar, path);

    private static string[] Packages() =>
        File.ReadAllLines(Path.Combine(s_project.OutputDirectory(), "fedora-minimal-tree.manifests", "packages.txt"));

    /// <summary>Builds <paramref name="project"/>, which must stop with <paramref name="code"/> alone and an empty tree; gives the message.</summary>
    private static string StopsBeforeTheTree(ImageProject project, string code)
    {
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { code }, build.ErrorCodes.ToArray(), build.Output);
        Assert.IsFalse(project.TreeTouched(), "nothing was written into the tree");
        return build.Errors[0];
    }


    [TestMethod]
    public void Build_FromAnEmptyRoot_InstallsTheCheckedReleaseThenDnfThenTheBaseSystem()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(s_build.Output, "Checked the signatures of basesystem filesystem setup fedora-release-cloud fedora-release-identity-cloud fedora-release-common fedora-repos fedora-gpg-keys against");
        // os-release is the release package's (the fixture's userland has none of its own).
        StringAssert.Contains(TarFile("usr/lib/os-release"), $"VERSION_ID={RpmFixture.Release}");
        if (s_fixture is not null)
            StringAssert.Contains(TarFile("usr/lib/os-release"), "bootstrapped");
        var packages = Packages();
        // The release packages (rpm, from the host), the package manager and what it requires (host dnf), the base
        // system (the tree's dnf), yum-minimal's and redhat-common's packages (package-installs), the imported key.
        string[] names = ["fedora-release-common", "fedora-release-identity-cloud", "fedora-gpg-keys", "filesystem", "dnf", "glibc-langpack-en",
            "systemd", "systemd-udev", "util-linux", "kernel", "dracut", "NetworkManager", "lsof", "gpg-pubkey"];
        if (s_fixture is not null)
            names = [.. names, "dib-fixture-userland", "redhat-lsb-core"];
        foreach (var name in names)
            Assert.IsTrue(packages.Any(p => p.StartsWith(name + "\t", StringComparison.Ordinal)), $"{name} is installed; packages.txt:\n{string.Join('\n', packages)}");
        Assert.IsFalse(packages.Any(p => p.StartsWith("linux-firmware\t", StringComparison.Ordinal)), "linux-firmware is uninstalled");
    }

    [TestMethod]
    public void Image_ShipsTheReleaseRepositoriesNotTheBootstrapOnes()
    {
        s_build.AssertSucceeded();
        var repos = TarListing().Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .Where(p => p.StartsWith("etc/yum.repos.d/", StringComparison.Ordinal) && p != "etc/yum.repos.d/").ToArray();
        CollectionAssert.Contains(repos, "etc/yum.repos.d/fedora.repo", string.Join(", ", repos));
        Assert.IsFalse(repos.Any(r => r.Contains("dib-mirror", StringComparison.Ordinal) || r.EndsWith(".USING_MIRROR", StringComparison.Ordinal)), string.Join(", ", repos));
        if (s_fixture is not null)
            CollectionAssert.AreEqual(new[] { "etc/yum.repos.d/fedora.repo" }, repos, string.Join(", ", repos));
        StringAssert.Contains(TarFile("etc/yum.repos.d/fedora.repo"), "gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-$basearch",
            "put back as the release package wrote it (the host paths of the bootstrap are gone)");
    }

    [TestMethod]
    public void Tree_HasFedorasRpmDatabasePathLocaleAndTimezone()
    {
        s_build.AssertSucceeded();
        var listing = TarListing();
        Assert.IsTrue(listing.Any(l => l.EndsWith(" var/lib/rpm -> ../../usr/lib/sysimage/rpm", StringComparison.Ordinal)), "var/lib/rpm links to the database under /usr");
        Assert.IsTrue(listing.Any(l => l.Contains(" usr/lib/sysimage/rpm/", StringComparison.Ordinal) && l.StartsWith('-')), "the database is under /usr/lib/sysimage/rpm");
        Assert.IsTrue(listing.Any(l => l.EndsWith(" etc/localtime -> ../usr/share/zoneinfo/UTC", StringComparison.Ordinal)), "UTC");
        Assert.AreEqual("LANG=\"en_US.UTF-8\"\n", TarFile("etc/locale.conf"));
        StringAssert.Contains(TarFile("etc/rpm/macros.langs"), "%_install_langs C:C.UTF-8:en_US:en_US.UTF-8");
        Assert.IsFalse(listing.Any(l => l.Contains("usr/share/doc/", StringComparison.Ordinal)), "no documentation (pre-install.d/03-yum-cleanup)");
    }

    [TestMethod]
    [DataRow("DIB2510", "fedora-minimal", null, RpmFixture.Release, DisplayName = "no bootstrap repositories")]
    [DataRow("DIB2510", "fedora-minimal", "/nonexistent/repos", RpmFixture.Release, DisplayName = "a folder that is not there")]
    [DataRow("DIB2501", "fedora-minimal", "repo", "99", DisplayName = "a Fedora release the element does not know")]
    [DataRow("DIB2501", "centos-minimal", "repo", "43", DisplayName = "a CentOS release the element does not know")]
    [DataRow("DIB2509", "fedora-minimal", "badsig", RpmFixture.Release, DisplayName = "release packages signed by another key")]
    [DataRow("DIB2509", "fedora-minimal", "nokey", RpmFixture.Release, DisplayName = "gpgcheck on and no key to check with")]
    public void BadInput_StopsWithOneCodedErrorBeforeTheTreeIsTouched(string code, string element, string? repos, string release)
    {
        if (repos is "badsig" or "nokey" && s_fixture is null)
            Assert.Inconclusive("the wrongly signed repository is the fixture's");
        var folder = repos == "repo" ? s_repos : repos is "badsig" or "nokey" ? s_fixture!.BootstrapRepos(repos) : repos;
        var project = Project($"{element}-bad-{code.ToLowerInvariant()}-{(repos ?? "none").Replace("/", "", StringComparison.Ordinal)}", element, folder, release);
        var message = StopsBeforeTheTree(project, code);
        switch (code)
        {
            case "DIB2510":
                StringAssert.Contains(message, "DIB_YUM_MINIMAL_BOOTSTRAP_REPOS");
                break;
            case "DIB2501":
                StringAssert.Contains(message, $"'{release}'");
                StringAssert.Contains(message, element == "centos-minimal" ? "9-stream 10-stream" : "39 40 41 42 43 44 45");
                break;
            case "DIB2509" when repos == "nokey":
                StringAssert.Contains(message, "name no signing key");
                break;
            case "DIB2509":
                StringAssert.Contains(message, "does not verify");
                StringAssert.Contains(message, "Nothing was installed");
                break;
        }
    }

    private static void NeedsTheSuseFixture()
    {
        if (s_fixture is null)
            Assert.Inconclusive("the openSUSE packages are the fixture repository's");
    }

    private static string SuseTar => Path.Combine(s_suse!.OutputDirectory(), "opensuse-minimal-tree.tar");

    [TestMethod]
    public void OpensuseMinimal_FromAnEmptyRoot_InstallsTheBaseSystemWithZypperCheckingEverySignature()
    {
        NeedsTheSuseFixture();
        s_suseBuild!.AssertSucceeded();
        StringAssert.Contains(s_suseBuild.Output, "Downloading the base system: filesystem grep gzip xz patterns-openSUSE-base python3 zypper sudo ca-certificates-mozilla");
        StringAssert.Contains(Command.StandardOutput("tar", "-xOf", SuseTar, "usr/lib/os-release"), $"VERSION_ID=\"{SuseRelease}\"",
            "openSUSE-release came in as the base pattern's requirement");
        var packages = File.ReadAllLines(Path.Combine(s_suse!.OutputDirectory(), "opensuse-minimal-tree.manifests", "packages.txt"));
        // The bootstrap (host zypper), zypper-minimal's packages and base's iSCSI initiator mapped for the suse
        // family (the tree's zypper, through install-packages), and the key given in DIB_ZYPPER_KEYS.
        foreach (var name in new[] { "filesystem", "patterns-openSUSE-base", "openSUSE-release", "zypper", "dib-fixture-userland",
            "kernel-default", "glibc-locale", "lsb-release", "open-iscsi", "gpg-pubkey" })
            Assert.IsTrue(packages.Any(p => p.StartsWith(name + "\t", StringComparison.Ordinal)), $"{name} is installed; packages.txt:\n{string.Join('\n', packages)}");
        var listing = Command.StandardOutput("tar", "-tvf", SuseTar).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(listing.Any(l => l.EndsWith(" etc/zypp/repos.d/repo-oss.repo", StringComparison.Ordinal)), "the repository stays configured, as diskimage-builder leaves it");
        StringAssert.Contains(Command.StandardOutput("tar", "-xOf", SuseTar, "etc/zypp/repos.d/repo-oss.repo"), "keeppackages=0", "no package cache in the image's zypper");
        Assert.IsFalse(listing.Any(l => l.Contains("var/cache/zypp/packages/", StringComparison.Ordinal) && l.StartsWith('-')), "the downloaded packages are not shipped");
        Assert.IsTrue(listing.Any(l => l.EndsWith(" etc/localtime -> ../usr/share/zoneinfo/Etc/UTC", StringComparison.Ordinal)), "UTC");
        StringAssert.Contains(Command.StandardOutput("tar", "-xOf", SuseTar, "etc/zypp/zypp.conf"), "solver.onlyRequires = true");
    }

    [TestMethod]
    [DataRow("DIB2512", null, "key", SuseRelease, DisplayName = "openSUSE: no repositories")]
    [DataRow("DIB2509", "repo", null, SuseRelease, DisplayName = "openSUSE: no signing key")]
    [DataRow("DIB2501", "repo", "key", "42.3", DisplayName = "openSUSE: a release the element does not know")]
    [DataRow("DIB2509", "badsig", "key", SuseRelease, DisplayName = "openSUSE: packages signed by another key")]
    [DataRow("DIB2509", "badmeta", "key", SuseRelease, DisplayName = "openSUSE: metadata signed by another key")]
    public void OpensuseMinimal_BadInput_StopsWithOneCodedErrorBeforeTheTreeIsTouched(string code, string? repo, string? key, string release)
    {
        NeedsTheSuseFixture();
        var project = SuseProject($"opensuse-bad-{code.ToLowerInvariant()}-{repo ?? "none"}-{key ?? "nokey"}",
            repo is null ? null : s_fixture!.RepoUrl(repo), key is null ? null : s_fixture!.KeyUrl, release);
        var message = StopsBeforeTheTree(project, code);
        switch (code)
        {
            case "DIB2512":
                StringAssert.Contains(message, "DIB_ZYPPER_REPOS");
                break;
            case "DIB2509" when key is null:
                StringAssert.Contains(message, "DIB_ZYPPER_KEYS");
                break;
            case "DIB2509":
                StringAssert.Contains(message, repo == "badmeta" ? "metadata does not verify" : "A package of the base system does not verify");
                StringAssert.Contains(message, "Nothing was installed");
                break;
            case "DIB2501":
                StringAssert.Contains(message, "15.5 15.6 tumbleweed");
                break;
        }
    }
}
