using System.Globalization;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// SourceDateEpoch's default in a git repository: the time of the last commit that changed the project's folder, so a
/// commit elsewhere in the repository leaves the epoch (an input of the tree, and so of the stage cache) as it was.
/// Asks MSBuild for the property after the SDK's target ran; nothing is built.
/// </summary>
[TestClass]
public sealed class SourceDateEpochGitTests
{
    private const long ProjectCommit = 1_700_000_000;
    private const long OtherCommit = 1_750_000_000;

    private static void Git(string folder, long time, params string[] arguments)
    {
        var stamp = "@" + time.ToString(CultureInfo.InvariantCulture) + " +0000";
        var result = Command.Run("git", ["-C", folder, "-c", "user.name=test", "-c", "user.email=test@invalid", .. arguments], folder,
            TimeSpan.FromMinutes(1), new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = stamp, ["GIT_COMMITTER_DATE"] = stamp });
        Assert.AreEqual(0, result.ExitCode, result.Output);
    }

    /// <summary>The project moved to image/ inside its folder, which becomes the repository's root.</summary>
    private static string Epoch(ImageProject project, params string[] arguments)
    {
        var result = project.RunDotnet("build", TimeSpan.FromMinutes(3),
            ["build", Path.Combine("image", project.Name + ".imgproj"), "-nr:false", "-t:_DibSourceDateEpoch", "-getProperty:SourceDateEpoch", .. arguments]);
        Assert.AreEqual(0, result.ExitCode, result.Output);
        return result.Output.Trim().Split('\n').Last().Trim();
    }

    [TestMethod]
    public void SourceDateEpoch_InAGitRepository_IsTheLastCommitThatChangedTheProjectFolder()
    {
        using var project = ImageProject.Create("epoch-from-git", """
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        var image = Directory.CreateDirectory(Path.Combine(project.Directory, "image")).FullName;
        File.Move(project.ProjectPath, Path.Combine(image, project.Name + ".imgproj"));
        Assert.AreEqual("", Epoch(project), "outside a repository there is no epoch");

        Git(project.Directory, ProjectCommit, "init", "-q");
        Git(project.Directory, ProjectCommit, "add", "image");
        Git(project.Directory, ProjectCommit, "commit", "-q", "-m", "image");
        File.WriteAllText(Path.Combine(project.Directory, "NOTES.md"), "other work\n");
        Git(project.Directory, OtherCommit, "add", "NOTES.md");
        Git(project.Directory, OtherCommit, "commit", "-q", "-m", "other work");

        Assert.AreEqual(ProjectCommit.ToString(CultureInfo.InvariantCulture), Epoch(project),
            "the time of the commit that changed image/, not the later one outside it, nor the clock");
        Assert.AreEqual("1800000000", Epoch(project, "-p:SourceDateEpoch=1800000000"), "a set property wins");
        Assert.AreEqual("", Epoch(project, "-p:SourceDateEpochFromGit=false"), "SourceDateEpochFromGit=false turns the default off");
    }
}
