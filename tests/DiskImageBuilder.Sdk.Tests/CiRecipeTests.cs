using System.Text.RegularExpressions;
using DiskImageBuilder.Sdk.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The GitHub Actions recipe of docs/ci.md cannot rot: its `run:` steps run here, in order, for amd64, in a clean clone
/// of a repository holding a small MyImage project (the test elements' tiny tree, so the build takes seconds), and
/// the folders its upload steps name must hold the image and the binary log afterwards.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed partial class CiRecipeTests
{
    private const string Arch = "amd64";

    [TestMethod]
    public void CiRecipe_GitHubWorkflowsShellSteps_BuildTheImageInACleanCloneAndLeaveWhatTheUploadStepsName()
    {
        var steps = WorkflowSteps();
        Assert.IsTrue(steps.Any(s => s.Run is not null && s.Run.Contains("dotnet build", StringComparison.Ordinal)), "the recipe builds the image");
        var sdk = PackedSdk.Instance;
        var root = Path.Combine(sdk.Root, "projects", $"ci-recipe-{Guid.NewGuid():N}"[..18]);
        var clone = Path.Combine(root, "clone");
        var runnerTemp = Path.Combine(root, "runner-temp");
        Directory.CreateDirectory(runnerTemp);
        try
        {
            CreateRepository(Path.Combine(root, "origin"), sdk);
            Command.RunChecked("git", "clone", "-q", Path.Combine(root, "origin"), clone);

            var environment = new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = null,
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["GITHUB_WORKSPACE"] = clone,
                ["RUNNER_TEMP"] = runnerTemp,
                ["PATH"] = PathWithSudo(root),
            };
            var log = new System.Text.StringBuilder();
            foreach (var step in steps)
            {
                if (step.Run is null)
                    continue;
                if (step.If is not null && !ConditionHolds(step.If))
                {
                    log.AppendLine($"## {step.Name}: skipped ({step.If})");
                    continue;
                }
                var script = Expand(step.Run, runnerTemp);
                var result = Command.Run("bash", ["-e", "-o", "pipefail", "-c", script], clone, TimeSpan.FromMinutes(20), environment);
                log.AppendLine($"## {step.Name}: exit {result.ExitCode}").AppendLine(result.Output);
                File.WriteAllText(Path.Combine(root, "steps.log"), log.ToString());
                Assert.AreEqual(0, result.ExitCode, $"step '{step.Name}' failed:\n{script}\n{result.Output}");
            }

            var uploads = steps.Where(s => s.Uses?.StartsWith("actions/upload-artifact", StringComparison.Ordinal) == true)
                .Select(s => Path.Combine(clone, Expand(s.With["path"], runnerTemp))).ToList();
            Assert.HasCount(2, uploads, "the recipe uploads the image folder and the binary log");
            var imageFolder = uploads.Single(Directory.Exists);
            Assert.IsTrue(File.Exists(Path.Combine(imageFolder, "MyImage.qcow2")), $"{imageFolder}:\n{log}");
            Assert.IsTrue(File.Exists(Path.Combine(imageFolder, "MyImage.qcow2.sha256")));
            Assert.IsTrue(uploads.Any(u => u.EndsWith($"build-{Arch}.binlog", StringComparison.Ordinal) && new FileInfo(u).Length > 0),
                "the binary log the recipe uploads was written");
            var cached = Path.Combine(runnerTemp, "dib-cache", "stages");
            Assert.IsTrue(Directory.Exists(cached) && Directory.EnumerateFileSystemEntries(cached).Any(),
                "the stage cache is in the folder the cache step saves");
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("DIB_KEEP_TEST_PROJECTS") != "1")
                Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Step(string Name, string? Run, string? If, string? Uses, IReadOnlyDictionary<string, string> With);

    /// <summary>The steps of the one job of the first yaml block under "## GitHub Actions" in docs/ci.md.</summary>
    private static List<Step> WorkflowSteps()
    {
        var document = File.ReadAllText(Path.Combine(Repository.Root, "docs", "ci.md"));
        var section = document[document.IndexOf("## GitHub Actions", StringComparison.Ordinal)..];
        var block = YamlBlock().Match(section);
        Assert.IsTrue(block.Success, "docs/ci.md has a yaml block under ## GitHub Actions");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(block.Groups[1].Value));
        var jobs = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["jobs"];
        var job = (YamlMappingNode)jobs.Children.Single().Value;
        return ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().Select(step =>
        {
            string? Value(string key) => step.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
            var with = step.Children.TryGetValue(new YamlScalarNode("with"), out var w)
                ? ((YamlMappingNode)w).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!)
                : new Dictionary<string, string>();
            return new Step(Value("name") ?? Value("uses") ?? "", Value("run"), Value("if"), Value("uses"), with);
        }).ToList();
    }

    /// <summary>The runner's expressions that the recipe uses; any other one fails the test, so the test grows with the recipe.</summary>
    private static string Expand(string text, string runnerTemp)
    {
        var expanded = text.Replace("${{ matrix.arch }}", Arch, StringComparison.Ordinal)
            .Replace("${{ runner.temp }}", runnerTemp, StringComparison.Ordinal);
        Assert.DoesNotContain("${{", expanded, $"an expression the test does not know: {expanded}");
        return expanded;
    }

    private static bool ConditionHolds(string condition) => condition switch
    {
        "matrix.arch != 'amd64'" => Arch != "amd64",
        "always()" => true,
        _ => throw new AssertFailedException($"a step condition the test does not know: {condition}"),
    };

    /// <summary>A repository as a user has it: MyImage/ with the project, its elements, global.json and nuget.config.</summary>
    private static void CreateRepository(string origin, PackedSdk sdk)
    {
        var project = Path.Combine(origin, "MyImage");
        Directory.CreateDirectory(Path.Combine(project, "elements"));
        // As `dotnet new imgproj -n MyImage` makes it: global.json (and here the test feed's nuget.config) in MyImage/.
        sdk.WriteProjectRoot(project);
        File.WriteAllText(Path.Combine(project, "MyImage.imgproj"), """
            <Project Sdk="DiskImageBuilder.Sdk">
              <PropertyGroup><ElementsPath>elements</ElementsPath></PropertyGroup>
              <ItemGroup>
                <Element Include="tiny-os" />
                <Element Include="block-device-mbr" />
              </ItemGroup>
            </Project>
            """);
        Command.RunChecked("cp", "-a", Path.Combine(Repository.TestElements, "tiny-os"), Path.Combine(project, "elements"));
        foreach (var script in Directory.EnumerateFiles(Path.Combine(project, "elements", "tiny-os", "root.d")))
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        Command.RunChecked("git", "-C", origin, "init", "-q");
        Command.RunChecked("git", "-C", origin, "add", "-A");
        Command.RunChecked("git", "-C", origin, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "image");
    }

    /// <summary>PATH, with a `sudo` that runs its command as it is when the host (root already) has none.</summary>
    private static string PathWithSudo(string root)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        if (Command.Run("sh", ["-c", "command -v sudo"]).ExitCode == 0)
            return path;
        var shim = Path.Combine(root, "sudo-shim");
        Directory.CreateDirectory(shim);
        var sudo = Path.Combine(shim, "sudo");
        File.WriteAllText(sudo, "#!/bin/sh\n# root already: drop sudo's options and run the command\nwhile [ \"${1#-}\" != \"$1\" ]; do shift; done\nexec \"$@\"\n");
        File.SetUnixFileMode(sudo, (UnixFileMode)0b111_101_101);
        return shim + ":" + path;
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
