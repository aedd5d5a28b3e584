using DiskImageBuilder.Phases;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;
using DiskImageBuilder.Tests.Elements;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Phases;

/// <summary>
/// Host-side scripts run in the build's own folder: diskimage-builder's write relative paths (its baremetal element
/// copies the kernel to <c>$IMAGE_NAME.vmlinuz</c>), which must land there and never in the host's folders.
/// diskimage-builder's own script, unmodified, through the phase runner.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class HostScriptWorkingDirectoryTests
{
    [TestMethod]
    public async Task DiskimageBuildersBaremetalScript_WritesTheKernelAndInitrdIntoTheBuildFolder()
    {
        var folder = Directory.CreateTempSubdirectory("dib-host-cwd-").FullName;
        var imageName = "cwd-probe-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var tree = Directory.CreateDirectory(Path.Combine(folder, "tree")).FullName;
            var boot = Directory.CreateDirectory(Path.Combine(tree, "boot")).FullName;
            File.WriteAllText(Path.Combine(boot, "vmlinuz-6.1.0-99-amd64"), "kernel");
            File.WriteAllText(Path.Combine(boot, "initrd.img-6.1.0-99-amd64"), "initrd");
            Directory.CreateDirectory(Path.Combine(tree, "etc"));
            File.WriteAllText(Path.Combine(tree, "etc", "debian_version"), "12.8\n");
            var context = new BuildContext
            {
                TreeDir = tree,
                HooksDir = Directory.CreateDirectory(Path.Combine(folder, "hooks")).FullName,
                BuildDir = Directory.CreateDirectory(Path.Combine(folder, "build")).FullName,
                ImageCacheDir = Path.Combine(folder, "cache"),
                ImageName = imageName,
                Arch = "amd64",
                Elements = ["baremetal"],
                ElementPaths = [KeyValuePair.Create("baremetal", Path.Combine(DiskimageBuilderPackage.Tree, "elements", "baremetal"))],
                ElementsPath = Path.Combine(folder, "elements"),
                LibraryDir = Path.Combine(Path.GetDirectoryName(SdkElementsFolder.Path)!, "lib"),
            };
            var script = Path.Combine(DiskimageBuilderPackage.Tree, "elements", "baremetal", "cleanup.d", "99-extract-kernel-and-ramdisk");
            Directory.CreateDirectory(Path.Combine(context.HooksDir, "cleanup.d"));
            File.Copy(script, Path.Combine(context.HooksDir, "cleanup.d", "99-extract-kernel-and-ramdisk"));
            File.SetUnixFileMode(Path.Combine(context.HooksDir, "cleanup.d", "99-extract-kernel-and-ramdisk"), (UnixFileMode)0b111_101_101);
            var log = new RecordingBuildLog();
            var runner = new PhaseRunner(log, new ScriptSandbox(new ProcessRunner(log), new SandboxFiles(Path.Combine(folder, "sandbox"))));

            await runner.RunAsync(new PhaseInfo("cleanup.d", false), [new PhaseScript("99-extract-kernel-and-ramdisk", "baremetal", script)],
                context, CancellationToken.None);

            Assert.AreEqual("kernel", File.ReadAllText(Path.Combine(context.BuildDir, imageName + ".vmlinuz")), string.Join('\n', log.Lines));
            Assert.AreEqual("initrd", File.ReadAllText(Path.Combine(context.BuildDir, imageName + ".initrd")));
            Assert.IsFalse(File.Exists("/" + imageName + ".vmlinuz"), "nothing is written into the host's /");
        }
        finally
        {
            Directory.Delete(folder, true);
            // Only where the runner wrote into the host's / (the failure this test is about).
            File.Delete("/" + imageName + ".vmlinuz");
            File.Delete("/" + imageName + ".initrd");
        }
    }
}
