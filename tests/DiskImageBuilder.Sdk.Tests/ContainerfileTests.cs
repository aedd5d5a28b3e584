using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// `containerfile`: a Containerfile built with the host's podman (FROM the RPM fixture's image on its loopback registry,
/// a COPY from the build context and a RUN step), its container exported as the tree, then redhat-common's packages
/// installed with dnf from the fixture repository; the host's own podman storage untouched. Then the bad inputs.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class ContainerfileTests
{
    private static RpmFixture s_fixture = null!;
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static string[] s_hostImages = [];
    private static readonly List<ImageProject> s_others = [];

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_fixture = RpmFamilyContainerTests.Server.Value;
        s_hostImages = HostImages();
        s_project = Project("containerfile-tree", $"""
            FROM {s_fixture.Registry}/fedora:{RpmFixture.Release}
            COPY greeting /usr/share/dib-fixture/containerfile-copy
            RUN echo "written by a RUN step" > /usr/share/dib-fixture/containerfile-run
            """);
        File.WriteAllText(Path.Combine(s_project.Directory, "context", "greeting"), "copied from the build context\n");
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
    }

    /// <summary>The host's own podman images (its default storage), to see that a build added none.</summary>
    private static string[] HostImages() =>
        [.. Command.StandardOutput("podman", "images", "--noheading", "--format", "{{.Repository}}:{{.Tag}}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()];

    /// <summary>A project whose Containerfile is <paramref name="containerfile"/> (null: none) and whose context is its folder "context".</summary>
    private static ImageProject Project(string name, string? containerfile)
    {
        var project = ImageProject.Create(name, "");
        Directory.CreateDirectory(Path.Combine(project.Directory, "context"));
        var file = Path.Combine(project.Directory, "Containerfile");
        if (containerfile is not null)
            File.WriteAllText(file, containerfile + "\n");
        var tls = s_fixture.IsLocal ? "--tls-verify=false" : "";
        project.AddToProject($"""
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <DistroRelease>{RpmFixture.Release}</DistroRelease>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="containerfile" />
              <Element Include="redhat-common" />
              <ElementEnvironment Include="DISTRO_NAME" Value="fedora" />
              <ElementEnvironment Include="YUM" Value="dnf" />
              {(containerfile is null ? "" : $"""<ElementEnvironment Include="DIB_CONTAINERFILE_DOCKERFILE" Value="{file}" />""")}
              <ElementEnvironment Include="DIB_CONTAINER_CONTEXT" Value="{Path.Combine(project.Directory, "context")}" />
              <ElementEnvironment Include="DIB_CONTAINERFILE_BUILDOPTS" Value="{tls}" />
              <ElementEnvironment Include="DIB_YUM_REPO_CONF" Value="{s_fixture.RepoFile("repo")}" />
            </ItemGroup>
            """);
        return project;
    }

    private static string Tar => Path.Combine(s_project.OutputDirectory(), "containerfile-tree.tar");

    private static string TarFile(string path) => Command.StandardOutput("tar", "-xOf", Tar, path);

    [TestMethod]
    public void Build_RunsTheContainerfileWithPodman_AndItsTreeGoesOnThroughThePhases()
    {
        s_build.AssertSucceeded();
        StringAssert.Contains(s_build.Output, $"STEP 1/3: FROM {s_fixture.Registry}/fedora:{RpmFixture.Release}");
        StringAssert.Matches(s_build.Output, new System.Text.RegularExpressions.Regex(@"Containerfile built: FROM \S+ \(sha256:[0-9a-f]{64}\)"));
        Assert.AreEqual("copied from the build context\n", TarFile("usr/share/dib-fixture/containerfile-copy"));
        Assert.AreEqual("written by a RUN step\n", TarFile("usr/share/dib-fixture/containerfile-run"));
        StringAssert.Contains(TarFile("etc/os-release"), "ID=fedora", "the FROM image's tree");
        // redhat-common's packages, installed by dnf in the exported tree at install.d.
        var packages = File.ReadAllLines(Path.Combine(s_project.OutputDirectory(), "containerfile-tree.manifests", "packages.txt"));
        Assert.IsTrue(packages.Any(p => p.StartsWith("lsof\t", StringComparison.Ordinal)), string.Join('\n', packages));
    }

    [TestMethod]
    public void Build_LeavesTheHostsPodmanStorageAlone()
    {
        s_build.AssertSucceeded();
        CollectionAssert.AreEqual(s_hostImages, HostImages(), "the host's podman has no new image");
    }

    [TestMethod]
    public void NoContainerfile_IsDIB2519BeforeTheTree()
    {
        var project = Project("containerfile-none", null);
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB2519" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "DIB_CONTAINERFILE_DOCKERFILE");
        StringAssert.Contains(build.Errors[0], $"containerfiles/{RpmFixture.Release}");
    }

    [TestMethod]
    public void FailingBuild_IsDIB2520WithPodmansMessage_AndTheTreeUntouched()
    {
        var project = Project("containerfile-failing", $"""
            FROM {s_fixture.Registry}/fedora:no-such-tag
            RUN true
            """);
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB2520" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "podman could not build");
        Assert.IsFalse(project.TreeTouched(), "nothing was put in the tree");
    }
}
