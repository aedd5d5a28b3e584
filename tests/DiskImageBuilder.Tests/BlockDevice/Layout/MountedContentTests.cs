using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Tests.BlockDevice.Layout;

[TestClass]
public sealed class MountedContentTests
{
    [TestMethod]
    public void NestedBelow_FindsOnlyMountPointsInsideTheGivenOne()
    {
        string[] all = ["/", "/boot", "/boot/efi", "/var", "/variable"];

        CollectionAssert.AreEqual(new[] { "/boot", "/boot/efi", "/var", "/variable" }, MountedContent.NestedBelow("/", all).ToArray());
        CollectionAssert.AreEqual(new[] { "/boot/efi" }, MountedContent.NestedBelow("/boot", all).ToArray());
        Assert.IsEmpty(MountedContent.NestedBelow("/var", all), "/variable is not inside /var");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task MeasureAndPrepare_SplitTheTreeAtNestedMountPointsWithoutChangingIt()
    {
        var work = Directory.CreateTempSubdirectory("dib-mounted-").FullName;
        try
        {
            var tree = Path.Combine(work, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "boot", "efi", "EFI"));
            File.WriteAllBytes(Path.Combine(tree, "boot", "vmlinuz"), new byte[3 * 1024 * 1024]);
            File.WriteAllBytes(Path.Combine(tree, "boot", "efi", "EFI", "grub.efi"), new byte[1024 * 1024]);
            File.WriteAllBytes(Path.Combine(tree, "big"), new byte[5 * 1024 * 1024]);
            var runner = new ProcessRunner(new DiskImageBuilder.Tests.Outputs.RecordingBuildLog());
            string[] mountPoints = ["/", "/boot", "/boot/efi"];

            var usage = await MountedContent.MeasureAsync(runner, tree, mountPoints, CancellationToken.None);
            Assert.IsTrue(usage["/"].Bytes is >= 5 * 1024 * 1024 and < 6 * 1024 * 1024, $"/ holds only its own 5 MiB: {usage["/"].Bytes}");
            Assert.IsTrue(usage["/boot"].Bytes is >= 3 * 1024 * 1024 and < 4 * 1024 * 1024, $"/boot without /boot/efi: {usage["/boot"].Bytes}");

            await using (var sources = await FilesystemSources.PrepareAsync(runner, tree, mountPoints, Path.Combine(work, "scratch"), CancellationToken.None))
            {
                Assert.IsTrue(File.Exists(Path.Combine(sources.For("/"), "big")));
                Assert.IsTrue(Directory.Exists(Path.Combine(sources.For("/"), "boot")), "the mount point stays");
                Assert.IsEmpty(Directory.GetFileSystemEntries(Path.Combine(sources.For("/"), "boot")), "but is empty");
                Assert.IsTrue(File.Exists(Path.Combine(sources.For("/boot"), "vmlinuz")));
                Assert.IsEmpty(Directory.GetFileSystemEntries(Path.Combine(sources.For("/boot"), "efi")));
                Assert.AreEqual(Path.Combine(tree, "boot", "efi"), sources.For("/boot/efi"), "a leaf mount point is read in place");
            }

            Assert.IsTrue(File.Exists(Path.Combine(tree, "boot", "efi", "EFI", "grub.efi")), "the tree is unchanged");
            Assert.IsTrue(File.Exists(Path.Combine(tree, "boot", "vmlinuz")));
            Assert.IsFalse(Directory.Exists(Path.Combine(work, "scratch")), "the copies are removed");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public async Task Measure_MountPointThatIsALinkOutOfTheTree_FailsWithDIB5050()
    {
        var work = Directory.CreateTempSubdirectory("dib-mounted-").FullName;
        try
        {
            var tree = Path.Combine(work, "tree");
            Directory.CreateDirectory(tree);
            Directory.CreateDirectory(Path.Combine(work, "host"));
            File.CreateSymbolicLink(Path.Combine(tree, "boot"), Path.Combine(work, "host"));

            var error = await Assert.ThrowsExactlyAsync<DibException>(() =>
                MountedContent.MeasureAsync(new ProcessRunner(new DiskImageBuilder.Tests.Outputs.RecordingBuildLog()), tree, ["/", "/boot"], CancellationToken.None));

            Assert.AreEqual(ErrorCodes.TreePathIsLink, error.Code);
            StringAssert.Contains(error.Message, Path.Combine(tree, "boot"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
