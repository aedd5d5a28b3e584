using DiskImageBuilder.Phases;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;
using DiskImageBuilder.Tests.Outputs;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.Tests.Phases;

/// <summary>
/// diskimage-builder's scripts find other elements' folders through IMAGE_ELEMENT_YAML and the exported
/// function get_image_element_array (its modprobe element reads every element's modprobe.d that way). A
/// host-side script run the way the build runs it sees both.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
public sealed class ElementTableEnvironmentTests
{
    // How diskimage-builder's own elements use the function (modprobe/extra-data.d/50-modprobe-blacklist).
    private const string Script = """
        #!/bin/bash
        set -eu
        eval declare -A image_elements=($(get_image_element_array))
        for element in $IMAGE_ELEMENT; do
            echo "folder $element ${image_elements[$element]}"
        done
        printf '%s' "$IMAGE_ELEMENT_YAML" > "$OUT_YAML"
        bash -c 'type -t get_image_element_array' | sed 's/^/child /'
        """;

    [TestMethod]
    public async Task HostScript_SeesEveryElementsFolderThroughTheFunctionAndTheYaml()
    {
        var folder = Directory.CreateTempSubdirectory("dib-element-table-").FullName;
        try
        {
            var paths = new[]
            {
                KeyValuePair.Create("vm", "/opt/sdk/elements/vm"),
                KeyValuePair.Create("debian-minimal", "/opt/sdk/elements/debian-minimal"),
                KeyValuePair.Create("my-element", Path.Combine(folder, "my elements", "my-element")),
            };
            var context = new BuildContext
            {
                TreeDir = Path.Combine(folder, "tree"),
                HooksDir = Path.Combine(folder, "hooks"),
                BuildDir = folder,
                ImageCacheDir = Path.Combine(folder, "cache"),
                ImageName = "table",
                Arch = "amd64",
                Elements = [.. paths.Select(p => p.Key)],
                ElementPaths = paths,
                ElementsPath = "/opt/sdk/elements",
            };
            var environment = new Dictionary<string, string>(PhaseEnvironment.For(new PhaseInfo("extra-data.d", false), context))
            {
                ["OUT_YAML"] = Path.Combine(folder, "yaml"),
            };
            var script = Path.Combine(folder, "50-table");
            File.WriteAllText(script, Script);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var log = new RecordingBuildLog();
            var sandbox = new ScriptSandbox(new ProcessRunner(log), new SandboxFiles(Path.Combine(folder, "sandbox")));

            var result = await sandbox.RunOutsideAsync(script, Path.Combine(folder, "environment.d"), environment, folder, "", CancellationToken.None);

            Assert.AreEqual(0, result.ExitCode, string.Join('\n', log.Lines));
            var lines = log.Lines.Select(l => l.Trim()).ToList();
            foreach (var (name, path) in paths)
                CollectionAssert.Contains(lines, $"folder {name} {path}", string.Join('\n', log.Lines));
            CollectionAssert.Contains(lines, "child function", "the function is exported to the script's children, as with export -f");
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(Path.Combine(folder, "yaml"))));
            var map = (YamlMappingNode)yaml.Documents[0].RootNode;
            CollectionAssert.AreEquivalent(paths.Select(p => $"{p.Key}={p.Value}").ToList(),
                map.Children.Select(c => $"{((YamlScalarNode)c.Key).Value}={((YamlScalarNode)c.Value).Value}").ToList());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task DiskimageBuildersModprobeScript_CopiesTheModprobeFilesOfEveryElement()
    {
        var folder = Directory.CreateTempSubdirectory("dib-modprobe-").FullName;
        try
        {
            var mine = Path.Combine(folder, "elements", "my-modules");
            Directory.CreateDirectory(Path.Combine(mine, "modprobe.d"));
            File.WriteAllText(Path.Combine(mine, "modprobe.d", "my-modules.conf"), "options loop max_loop=16\n");
            var modprobe = Path.Combine(DiskimageBuilderPackage.Tree, "elements", "modprobe");
            var context = new BuildContext
            {
                TreeDir = Directory.CreateDirectory(Path.Combine(folder, "tree")).FullName,
                HooksDir = Directory.CreateDirectory(Path.Combine(folder, "hooks")).FullName,
                BuildDir = folder,
                ImageCacheDir = Path.Combine(folder, "cache"),
                ImageName = "modprobe",
                Arch = "amd64",
                Elements = ["modprobe", "my-modules"],
                ElementPaths = [KeyValuePair.Create("modprobe", modprobe), KeyValuePair.Create("my-modules", mine)],
                ElementsPath = Path.Combine(folder, "elements"),
            };
            HostSudoShim.Ensure(context.HooksDir);
            var log = new RecordingBuildLog();
            var sandbox = new ScriptSandbox(new ProcessRunner(log), new SandboxFiles(Path.Combine(folder, "sandbox")));

            var result = await sandbox.RunOutsideAsync(Path.Combine(modprobe, "extra-data.d", "50-modprobe-blacklist"),
                Path.Combine(context.HooksDir, "environment.d"), PhaseEnvironment.For(new PhaseInfo("extra-data.d", false), context), folder, "",
                CancellationToken.None);

            Assert.AreEqual(0, result.ExitCode, string.Join('\n', log.Lines));
            Assert.AreEqual("options loop max_loop=16\n",
                File.ReadAllText(Path.Combine(context.TreeDir, "etc", "modprobe.d", "my-modules.conf")));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
