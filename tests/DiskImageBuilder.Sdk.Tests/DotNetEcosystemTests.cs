using System.Text.RegularExpressions;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// An .imgproj among other .NET projects: in a solution (`dotnet sln add`, `dotnet build X.sln`), as a reference whose
/// Build returns the images, published with `dotnet publish`, loaded by an IDE (a design-time build with no root and no
/// host tools), with artifacts output, and refused on a host that is not Linux. One small image (the test elements'
/// tiny tree) is built once, through the solution.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed partial class DotNetEcosystemTests
{
    private const string Body = """
        <PropertyGroup>
          <ImageFormats>qcow2;raw</ImageFormats>
          <ElementsPath>elements</ElementsPath>
        </PropertyGroup>
        <ItemGroup>
          <Element Include="tiny-os" />
          <Element Include="block-device-mbr" />
          <ElementEnvironment Include="DIB_PROBE_ITEM" Value="from-item" />
        </ItemGroup>
        """;

    private static ImageProject s_project = null!;
    private static BuildResult s_solutionAdd = null!;
    private static BuildResult s_solutionBuild = null!;

    private static ImageProject CreateTiny(string name)
    {
        var project = ImageProject.Create(name, Body);
        project.AddTestElement("tiny-os");
        return project;
    }

    [ClassInitialize]
    public static void BuildThroughASolution(TestContext context)
    {
        _ = context;
        s_project = CreateTiny("eco");
        s_project.RunDotnet("new", TimeSpan.FromMinutes(2), ["new", "sln", "--name", "Images"]);
        // The .NET 10 SDK writes Images.slnx; an older one Images.sln.
        var solution = Directory.EnumerateFiles(s_project.Directory, "Images.sln*").Single();
        s_solutionAdd = s_project.RunDotnet("sln", TimeSpan.FromMinutes(2), ["sln", solution, "add", s_project.ProjectPath]);
        s_solutionBuild = s_project.RunDotnet("build", TimeSpan.FromMinutes(20), ["build", solution, "-nr:false", "-v:normal"]);
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    private static string Output(string file) => Path.Combine(s_project.OutputDirectory(), file);

    [TestMethod]
    public void SolutionAdd_TakesTheImageProject_AndTheSolutionBuildWritesItsImages()
    {
        Assert.AreEqual(0, s_solutionAdd.ExitCode, s_solutionAdd.Output);
        // `dotnet sln add` exits 0 even when it refuses a project of an unknown type: the solution must name it.
        var solution = Directory.EnumerateFiles(s_project.Directory, "Images.sln*").Single();
        StringAssert.Contains(File.ReadAllText(solution), "eco.imgproj", s_solutionAdd.Output);
        Assert.DoesNotContain("unknown project type", s_solutionAdd.Output);
        s_solutionBuild.AssertSucceeded();
        Assert.IsTrue(File.Exists(Output("eco.qcow2")), s_solutionBuild.Output);
        Assert.IsTrue(File.Exists(Output("eco.raw")));
        Assert.AreEqual("qcow2", ImageFiles.QemuImgInfo(Output("eco.qcow2")).GetProperty("format").GetString());
    }

    [TestMethod]
    public void Build_ReturnsTheImagesWithTheirMetadata_ToAProjectThatCallsIt()
    {
        s_solutionBuild.AssertSucceeded();
        var traversal = Path.Combine(s_project.Directory, "images.proj");
        File.WriteAllText(traversal, $"""
            <Project>
              <Target Name="Show">
                <MSBuild Projects="{s_project.ProjectPath}" Targets="Build">
                  <Output TaskParameter="TargetOutputs" ItemName="Image" />
                </MSBuild>
                <Message Importance="high" Text="IMAGE %(Image.Identity)|%(Image.Format)|%(Image.TargetArch)|%(Image.Sha256)" />
              </Target>
            </Project>
            """);
        var result = s_project.RunDotnet("msbuild", TimeSpan.FromMinutes(5), ["msbuild", traversal, "-t:Show", "-nr:false", "-v:m"]);
        result.AssertSucceeded();

        var images = ImageLine().Matches(result.Output).Select(m => (File: m.Groups[1].Value, Format: m.Groups[2].Value, Arch: m.Groups[3].Value, Sha: m.Groups[4].Value))
            .DistinctBy(i => i.File).ToList();
        CollectionAssert.AreEquivalent(new[] { "qcow2", "raw" }, images.Select(i => i.Format).ToList(), result.Output);
        foreach (var image in images)
        {
            Assert.AreEqual("amd64", image.Arch);
            Assert.IsTrue(File.Exists(image.File), image.File);
            StringAssert.StartsWith(File.ReadAllText(image.File + ".sha256"), image.Sha, $"the Sha256 of {image.File} is its checksum file's");
        }
        Assert.DoesNotContain("Building target \"ConvertImage\"", result.Output, "the images were up to date");
    }

    [TestMethod]
    public void TargetPath_IsThePrimaryImage_TheFirstOfImageFormats()
    {
        var result = s_project.Run("msbuild", "-getProperty:TargetPath");
        result.AssertSucceeded();

        Assert.AreEqual(Output("eco.qcow2"), result.Output.Trim());
    }

    [TestMethod]
    public void Publish_PutsTheImagesChecksumsAndManifestsInPublishDir_AsHardLinks()
    {
        s_solutionBuild.AssertSucceeded();
        var result = s_project.Run("publish");
        result.AssertSucceeded();

        var publish = Path.Combine(s_project.OutputDirectory(), "publish");
        foreach (var file in new[] { "eco.qcow2", "eco.raw", "eco.qcow2.sha256", "eco.raw.sha256" })
            Assert.IsTrue(File.Exists(Path.Combine(publish, file)), $"{file} in {publish}:\n{result.Output}");
        Assert.IsTrue(File.Exists(Path.Combine(publish, "eco.manifests", "inputs.sha256")), "the manifests are published");
        var original = Command.StandardOutput("stat", "-c", "%i", Output("eco.raw")).Trim();
        var published = Command.StandardOutput("stat", "-c", "%i", Path.Combine(publish, "eco.raw")).Trim();
        Assert.AreEqual(original, published, "the published image is a hard link, not a second copy of a large file");
        Assert.DoesNotContain("Building target \"ConvertImage\"", result.Output, "publish after a build converts nothing again");
    }

    [TestMethod]
    public void DesignTimeBuild_AsAnUnprivilegedUserWithoutHostTools_ResolvesTheElementsAndWritesNothing()
    {
        using var fresh = CreateTiny("eco-ide");
        var home = Path.Combine(fresh.Directory, "home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var dotnet = Path.GetDirectoryName(Command.StandardOutput("sh", "-c", "readlink -f \"$(command -v dotnet)\"").Trim())!;
        // What an IDE runs when it loads the project: Build with DesignTimeBuild, as the user, with only dotnet on PATH.
        string[] asUser = ["-u", "nobody", "--", "env", $"HOME={home}", $"DOTNET_CLI_HOME={home}", $"PATH={dotnet}:/usr/bin:/bin",
            "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1", "dotnet"];
        var result = Command.Run("runuser", [.. asUser, "build", fresh.ProjectPath, "-nr:false", "-v:n",
                "-p:DesignTimeBuild=true", "-p:BuildingProject=false", "-t:Build;ResolveElements",
                "-getItem:ResolvedElement", "-getItem:Element", "-getItem:ElementEnvironment", "-getItem:ProjectCapability"],
            fresh.Directory, TimeSpan.FromMinutes(3));

        Assert.AreEqual(0, result.ExitCode, result.Output);
        StringAssert.Contains(result.Output, "\"Identity\": \"tiny-os\"");
        StringAssert.Contains(result.Output, "\"Identity\": \"block-device-mbr\"");
        StringAssert.Contains(result.Output, "\"Identity\": \"DIB_PROBE_ITEM\"");
        StringAssert.Contains(result.Output, "\"Identity\": \"DiskImageBuilder\"", "the project declares its capability");
        StringAssert.Contains(result.Output, Path.Combine(fresh.Directory, "elements", "tiny-os"), "ResolvedElement has the element's folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.Directory, "obj")), "a design-time build writes no work folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.Directory, "bin")));
        // A project with TargetArchs (an outer build) loads too: its elements resolve for the first architecture.
        var outer = Command.Run("runuser", [.. asUser, "build", fresh.ProjectPath, "-nr:false", "-v:n", "-p:TargetArchs=\"amd64;arm64\"",
                "-p:DesignTimeBuild=true", "-p:BuildingProject=false", "-t:Build", "-getItem:ResolvedElement"],
            fresh.Directory, TimeSpan.FromMinutes(3));
        Assert.AreEqual(0, outer.ExitCode, outer.Output);
        StringAssert.Contains(outer.Output, "\"Identity\": \"tiny-os\"");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.Directory, "obj")));
    }

    [TestMethod]
    public void Build_OnAHostThatIsNotLinux_StopsWithOneDIB5005NamingWsl()
    {
        using var fresh = CreateTiny("eco-win");
        // The check reads $([MSBuild]::IsOSPlatform('Linux')); the test sets its result as Windows would.
        var result = fresh.Build("-p:_DibHostIsLinux=false");

        Assert.IsFalse(result.Succeeded);
        CollectionAssert.AreEqual(new[] { "DIB5005" }, result.ErrorCodes.ToList(), result.Output);
        StringAssert.Contains(result.Errors[0], "WSL");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.IntermediateDirectory(), "dib")), "no work started");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.Directory, "bin")));
    }

    [TestMethod]
    public void Build_WithArtifactsOutput_WritesUnderArtifactsAsDotNetProjectsDo()
    {
        using var fresh = CreateTiny("eco-art");
        var result = fresh.Build("-p:UseArtifactsOutput=true", "-p:ImageFormats=raw");
        result.AssertSucceeded();

        var artifacts = Path.Combine(fresh.Directory, "artifacts");
        Assert.IsTrue(File.Exists(Path.Combine(artifacts, "bin", "eco-art", "debug_amd64", "eco-art.raw")), result.Output);
        Assert.IsTrue(Directory.Exists(Path.Combine(artifacts, "obj", "eco-art", "debug_amd64", "dib")), "the work folder is under artifacts/obj");
        Assert.IsFalse(Directory.Exists(Path.Combine(fresh.Directory, "bin")));
        var paths = fresh.Run("msbuild", "-p:UseArtifactsOutput=true", "-p:ImageFormats=raw", "-getProperty:PublishDir", "-getProperty:TargetPath");
        StringAssert.Contains(paths.Output, Path.Combine(artifacts, "publish", "eco-art", "debug_amd64") + "/");
        StringAssert.Contains(paths.Output, Path.Combine(artifacts, "bin", "eco-art", "debug_amd64", "eco-art.raw"));
        var based = fresh.Run("msbuild", "-p:ImageFormats=raw", "-p:BaseOutputPath=out/", "-p:BaseIntermediateOutputPath=work/",
            "-getProperty:TargetPath", "-getProperty:IntermediateOutputPath");
        StringAssert.Contains(based.Output, Path.Combine(fresh.Directory, "out", "Debug", "amd64", "eco-art.raw"), "BaseOutputPath is honoured");
        StringAssert.Contains(based.Output, "work/Debug/amd64/", "BaseIntermediateOutputPath is honoured");
    }

    [GeneratedRegex(@"IMAGE ([^|\r\n]+)\|([^|]*)\|([^|]*)\|([0-9a-f]*)")]
    private static partial Regex ImageLine();
}
