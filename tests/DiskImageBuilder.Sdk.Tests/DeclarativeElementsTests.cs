using System.Security.Cryptography;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The declarative elements (source-repositories, install-types, svc-map, pkg-map, manifests) in one
/// tiny image: a local git repository, tarball and file as sources, install.d alternatives, and a test
/// element whose scripts call svc-map and pkg-map. Everything is read back from the raw file.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class DeclarativeElementsTests
{
    private static readonly string[] RequestedElements =
        ["tiny-os", "block-device-mbr", "source-repositories", "install-types", "svc-map", "pkg-map", "manifests", "decl-test"];

    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static HostSnapshot s_hostBefore = null!;
    private static HostSnapshot s_hostAfter = null!;
    private static string s_v1Commit = "";

    private static string Raw => Path.Combine(s_project.OutputDirectory(), "decl.raw");

    private static string Sources => Path.Combine(s_project.Directory, "sources");

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_hostBefore = HostSnapshot.Take();
        s_project = ImageProject.Create("decl", $"""
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
              <DiskImageCacheDir>$(MSBuildProjectDirectory)/cache/</DiskImageCacheDir>
            </PropertyGroup>
            <ItemGroup>
              {string.Join("\n  ", RequestedElements.Select(e => $"<Element Include=\"{e}\" />"))}
              <ElementEnvironment Include="DIB_REPOLOCATION_decl_git" Value="$(MSBuildProjectDirectory)/sources/decl-git" />
              <ElementEnvironment Include="DIB_REPOREF_decl_git" Value="v1" />
              <ElementEnvironment Include="DIB_REPOLOCATION_decl_tar" Value="$(MSBuildProjectDirectory)/sources/decl.tar.gz" />
              <ElementEnvironment Include="DIB_REPOLOCATION_decl_sub" Value="file://$(MSBuildProjectDirectory)/sources/decl.tar.gz" />
              <ElementEnvironment Include="DIB_REPOLOCATION_decl_file" Value="$(MSBuildProjectDirectory)/sources/notes.txt" />
              <ElementEnvironment Include="DIB_INSTALLTYPE_decl_skip" Value="package" />
              <ElementEnvironment Include="DIB_INSTALLTYPE_decl_bar" Value="package" />
              <ElementEnvironment Include="DIB_DECL_VISIBLE" Value="shown-in-manifest" />
              <ElementEnvironment Include="DIB_DECL_PASSWORD" Value="secret-password-value" />
              <ElementEnvironment Include="DIB_DECL_API_TOKEN" Value="secret-token-value" />
              <ElementEnvironment Include="DIB_DECL_SSH_KEY" Value="secret-key-value" />
            </ItemGroup>
            """);
        s_project.AddTestElement("tiny-os");
        s_project.AddTestElement("decl-test");
        // The install-type alternatives sit one folder below install.d, where AddTestElement sets no mode.
        foreach (var script in Directory.EnumerateFiles(Path.Combine(s_project.Directory, "elements", "decl-test", "install.d"), "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        CreateSources();
        s_build = s_project.Build();
        s_hostAfter = HostSnapshot.Take();
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    /// <summary>A git repository whose tag v1 is behind main, a tarball with one top-level folder, a file.</summary>
    private static void CreateSources()
    {
        var git = Path.Combine(Sources, "decl-git");
        Directory.CreateDirectory(git);
        Git(git, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(git, "version.txt"), "one\n");
        Git(git, "add", "version.txt");
        Git(git, "commit", "-q", "-m", "one");
        Git(git, "tag", "v1");
        File.WriteAllText(Path.Combine(git, "version.txt"), "two\n");
        Git(git, "commit", "-q", "-a", "-m", "two");
        s_v1Commit = Git(git, "rev-parse", "v1^{commit}").Trim();

        var staging = Path.Combine(Sources, "staging", "pkg-1.0");
        Directory.CreateDirectory(Path.Combine(staging, "sub"));
        File.WriteAllText(Path.Combine(staging, "hello.txt"), "hello from the tarball\n");
        File.WriteAllText(Path.Combine(staging, "sub", "inner.txt"), "inner\n");
        Command.RunChecked("tar", "-czf", Path.Combine(Sources, "decl.tar.gz"), "-C", Path.Combine(Sources, "staging"), "pkg-1.0");

        File.WriteAllText(Path.Combine(Sources, "notes.txt"), "notes from a file repository\n");
    }

    private static string Git(string repository, params string[] arguments) =>
        Command.RunChecked("git", ["-C", repository, "-c", "user.name=test", "-c", "user.email=test@localhost", .. arguments]);

    [TestMethod]
    public void SourceRepositories_GitRepository_IsCheckedOutAtTheRequestedRef()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("one\n", ImageFiles.ReadFile(Raw, "/opt/decl/git/version.txt"), "DIB_REPOREF_decl_git=v1 wins over the file's main");
        Assert.AreEqual(s_v1Commit + "\n", ImageFiles.ReadFile(Raw, "/opt/decl/git/.git/HEAD"), "the checkout is detached at v1's commit");
        var manifest = ImageFiles.ReadFile(Raw, "/etc/dib-manifests/dib-manifest-git-decl");
        Assert.AreEqual($"decl-git git /opt/decl/git {Sources}/decl-git {s_v1Commit}\n", manifest);
    }

    [TestMethod]
    public void SourceRepositories_GitCache_IsABareCloneUnderTheImageCache()
    {
        s_build.AssertSucceeded();
        var caches = Directory.GetDirectories(Path.Combine(s_project.Directory, "cache", "source-repositories"), "decl_git_*.git");
        Assert.HasCount(1, caches);
        Assert.AreEqual("true", Command.RunChecked("git", "-C", caches[0], "rev-parse", "--is-bare-repository").Trim());
    }

    [TestMethod]
    public void SourceRepositories_TarballWithStarRef_IsExtractedWithoutItsTopFolder()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("hello from the tarball\n", ImageFiles.ReadFile(Raw, "/opt/decl/tar/hello.txt"));
        Assert.AreEqual("inner\n", ImageFiles.ReadFile(Raw, "/opt/decl/tar/sub/inner.txt"));
        Assert.IsFalse(ImageFiles.Exists(Raw, "/opt/decl/tar/pkg-1.0"));
    }

    [TestMethod]
    public void SourceRepositories_TarballWithFolderRef_ExtractsOnlyThatFolder()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("inner\n", ImageFiles.ReadFile(Raw, "/opt/decl/sub/inner.txt"));
        Assert.IsFalse(ImageFiles.Exists(Raw, "/opt/decl/sub/hello.txt"));
    }

    [TestMethod]
    public void SourceRepositories_File_IsCopiedToItsExpandedDestination()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("notes from a file repository\n", ImageFiles.ReadFile(Raw, "/opt/decl/file/notes.txt"),
            "the destination used $DECL_FILE_NAME from environment.d");
    }

    [TestMethod]
    public void SourceRepositories_RepositoryWhoseInstallTypeIsPackage_IsNotFetched()
    {
        s_build.AssertSucceeded();
        Assert.IsFalse(ImageFiles.Exists(Raw, "/opt/decl/skip"));
    }

    [TestMethod]
    public void SourceRepositories_Manifests_ListEveryFetchedRepository()
    {
        s_build.AssertSucceeded();
        var tarDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Sources, "decl.tar.gz"))));
        var lines = ImageFiles.ReadFile(Raw, "/etc/dib-manifests/dib-manifest-source-repositories-decl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[]
        {
            $"decl-git git /opt/decl/git {Sources}/decl-git {s_v1Commit}",
            $"decl-tar tar /opt/decl/tar {Sources}/decl.tar.gz {tarDigest}",
            $"decl-sub tar /opt/decl/sub file://{Sources}/decl.tar.gz {tarDigest}",
            $"decl-file file /opt/decl/file/notes.txt {Sources}/notes.txt sha256:" +
                Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Sources, "notes.txt")))),
        }, lines);
        CollectionAssert.AreEqual(new[] { "/opt/decl/git", "/opt/decl/tar", "/opt/decl/sub", "/opt/decl/file/notes.txt" },
            ImageFiles.ReadFile(Raw, "/etc/dib-source-repositories").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [TestMethod]
    public void InstallTypes_OnlyTheChosenInstallScriptsRun()
    {
        s_build.AssertSucceeded();
        Assert.IsTrue(ImageFiles.Exists(Raw, "/decl/install-types/decl-foo-source"), "source is the default install type");
        Assert.IsFalse(ImageFiles.Exists(Raw, "/decl/install-types/decl-foo-package"));
        Assert.IsTrue(ImageFiles.Exists(Raw, "/decl/install-types/decl-bar-package"), "DIB_INSTALLTYPE_decl_bar=package");
        Assert.IsFalse(ImageFiles.Exists(Raw, "/decl/install-types/decl-bar-source"));
        Assert.IsTrue(ImageFiles.Exists(Raw, "/decl/install-types/decl-baz-package"), "a source repository of type package");
        Assert.IsFalse(ImageFiles.Exists(Raw, "/decl/install-types/decl-baz-source"));
    }

    [TestMethod]
    public void SvcMap_PrintsTheDistroNameThenDefaultThenTheServiceItself()
    {
        s_build.AssertSucceeded();
        CollectionAssert.AreEqual(new[] { "decl-apache2", "decl-postgresql", "decl-cache", "decl-unknown" },
            ImageFiles.ReadFile(Raw, "/decl/svc-map").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [TestMethod]
    public void PkgMap_MapsDropsAndFailsAsDiskImageBuildersTool()
    {
        s_build.AssertSucceeded();
        var results = ImageFiles.ReadFile(Raw, "/decl/pkg-map").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.AreEqual("decl-vim-debian,decl-tool-a decl-tool-b,", results["editor-tools-dropped"],
            "the distro entry beats default, a mapping may name two packages, an empty one prints nothing");
        Assert.AreEqual("1", results["other-family-only-exit"], "a name mapped for another family only has no mapping here");
        Assert.AreEqual("P:decl-unknown", results["missing-ok"]);
        Assert.AreEqual("2", results["no-map-exit"], "an element without pkg-map");
    }

    [TestMethod]
    public void Manifests_ListTheElementsInTheImageAndBesideTheBuild()
    {
        s_build.AssertSucceeded();
        var inImage = ImageFiles.ReadFile(Raw, "/etc/dib-manifests/dib-element-manifest");
        CollectionAssert.IsSubsetOf(RequestedElements.Append("base").ToArray(), inImage.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var copy = Path.Combine(s_project.IntermediateDirectory(), "dib", "build", "dib-manifests");
        Assert.AreEqual(inImage, File.ReadAllText(Path.Combine(copy, "dib-element-manifest")));
        Assert.IsTrue(File.Exists(Path.Combine(copy, "dib-manifest-git-decl")));
        Assert.IsTrue(File.Exists(Path.Combine(copy, "dib_environment")));
    }

    [TestMethod]
    public void Manifests_EnvironmentHasTheDibVariablesButNoSecrets()
    {
        s_build.AssertSucceeded();
        var environment = ImageFiles.ReadFile(Raw, "/etc/dib-manifests/dib_environment");
        StringAssert.Contains(environment, "declare -x DIB_DECL_VISIBLE=\"shown-in-manifest\"");
        StringAssert.Contains(environment, "declare -x DIB_REPOREF_decl_git=\"v1\"");
        foreach (var hidden in new[] { "DIB_DECL_PASSWORD", "DIB_DECL_API_TOKEN", "DIB_DECL_SSH_KEY", "secret-" })
            Assert.DoesNotContain(hidden, environment);
    }

    [TestMethod]
    public void SourceRepositories_MalformedLine_FailsNamingRepositoryFileAndLine()
    {
        using var project = ImageProject.Create("badrepo", """
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
              <DiskImageCacheDir>$(MSBuildProjectDirectory)/cache/</DiskImageCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="block-device-mbr" />
              <Element Include="bad-repo" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        var element = Path.Combine(project.Directory, "elements", "bad-repo");
        Directory.CreateDirectory(element);
        File.WriteAllText(Path.Combine(element, "element-deps"), "source-repositories\n");
        var file = Path.Combine(element, "source-repository-broken");
        File.WriteAllText(file, "# a comment, then a destination that is not absolute\nbroken git opt/broken /nowhere/broken.git\n");

        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB2101" }, result.ErrorCodes.ToArray(), result.Output);
        StringAssert.Contains(result.Output, $"{file} line 2: repository 'broken': destination 'opt/broken' is not an absolute path");
    }

    [TestMethod]
    public void Build_LeavesHostMountsLoopDevicesAndDevUnchanged()
    {
        s_build.AssertSucceeded();
        s_hostAfter.AssertUnchangedSince(s_hostBefore);
    }
}
