using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.Elements;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class BootFileWriterTests
{
    private static string Selector() => SdkElementsFolder.File("select-boot-kernel-initrd", "bin", "select-boot-kernel-initrd");

    private static string DebianTree()
    {
        var tree = Directory.CreateTempSubdirectory("dib-bootfiles-").FullName;
        Directory.CreateDirectory(Path.Combine(tree, "boot"));
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "debian_version"), "12.8\n");
        foreach (var version in new[] { "6.1.0-9-cloud-amd64", "6.1.0-28-cloud-amd64" })
        {
            File.WriteAllText(Path.Combine(tree, "boot", "vmlinuz-" + version), "kernel " + version);
            File.WriteAllText(Path.Combine(tree, "boot", "initrd.img-" + version), "initrd " + version);
        }
        return tree;
    }

    private static Task Write(string format, string tree, string output, Dictionary<string, string>? environment = null) =>
        new BootFileWriter(new ProcessRunner(new RecordingBuildLog())).WriteAsync(format, tree, output,
            new OutputOptions { BootFileSelector = Selector(), BootFileEnvironment = environment ?? [] }, CancellationToken.None);

    [TestMethod]
    public async Task Write_KernelAndInitrd_AreTheNewestVersionsFilesReadableByAll()
    {
        var tree = DebianTree();
        try
        {
            await Write("kernel", tree, Path.Combine(tree, "out.vmlinuz"));
            await Write("initrd", tree, Path.Combine(tree, "out.initrd"));

            Assert.AreEqual("kernel 6.1.0-28-cloud-amd64", File.ReadAllText(Path.Combine(tree, "out.vmlinuz")), "6.1.0-28 is newer than 6.1.0-9");
            Assert.AreEqual("initrd 6.1.0-28-cloud-amd64", File.ReadAllText(Path.Combine(tree, "out.initrd")));
            Assert.IsTrue(File.GetUnixFileMode(Path.Combine(tree, "out.vmlinuz")).HasFlag(UnixFileMode.OtherRead));
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }

    [TestMethod]
    public async Task Write_Patterns_PickTheFilesTheyName()
    {
        var tree = DebianTree();
        try
        {
            await Write("kernel", tree, Path.Combine(tree, "out.vmlinuz"),
                new() { ["DIB_BAREMETAL_KERNEL_PATTERN"] = "vmlinuz-6.1.0-9-*", ["DIB_BAREMETAL_INITRD_PATTERN"] = "initrd.img-6.1.0-9-*" });

            Assert.AreEqual("kernel 6.1.0-9-cloud-amd64", File.ReadAllText(Path.Combine(tree, "out.vmlinuz")));
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }

    [TestMethod]
    public async Task Write_TreeWithoutKernel_FailsWithDib4001NamingWhatToAdd()
    {
        var tree = Directory.CreateTempSubdirectory("dib-bootfiles-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(tree, "boot"));
            var error = await Assert.ThrowsExactlyAsync<DibException>(() => Write("kernel", tree, Path.Combine(tree, "out.vmlinuz")));

            Assert.AreEqual(ErrorCodes.ConversionFailed, error.Code);
            StringAssert.Contains(error.Message, "'vm' element");
            Assert.IsFalse(File.Exists(Path.Combine(tree, "out.vmlinuz")));
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }

    [TestMethod]
    public async Task Write_SelectedFileIsASymbolicLink_IsRefusedSoNoHostFileIsCopied()
    {
        var tree = DebianTree();
        try
        {
            var newest = Path.Combine(tree, "boot", "vmlinuz-6.1.0-99-cloud-amd64");
            File.CreateSymbolicLink(newest, "/etc/hostname");
            File.WriteAllText(Path.Combine(tree, "boot", "initrd.img-6.1.0-99-cloud-amd64"), "initrd");

            var error = await Assert.ThrowsExactlyAsync<DibException>(() => Write("kernel", tree, Path.Combine(tree, "out.vmlinuz")));

            StringAssert.Contains(error.Message, "symbolic link to /etc/hostname");
            Assert.IsFalse(File.Exists(Path.Combine(tree, "out.vmlinuz")));
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }
}
