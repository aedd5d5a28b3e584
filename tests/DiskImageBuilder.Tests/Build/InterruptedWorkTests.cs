using DiskImageBuilder.Build;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Build;

[TestClass]
public sealed class InterruptedWorkTests
{
    [TestMethod]
    public void Recover_WithoutTheMark_TouchesNothing()
    {
        var root = Directory.CreateTempSubdirectory("dib-work-").FullName;
        try
        {
            var work = new WorkFolder(root, "img");
            Directory.CreateDirectory(work.Tree);
            File.WriteAllText(work.RawDisk, "disk");
            Assert.IsFalse(InterruptedWork.Recover(work, Path.Combine(root, "bin"), new RecordingBuildLog()));
            Assert.IsTrue(Directory.Exists(work.Tree));
            Assert.IsTrue(File.Exists(work.RawDisk));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Recover_WithTheMark_RemovesTreeBuildDiskStampsAndPartials_KeepsHooksAndInputs()
    {
        var root = Directory.CreateTempSubdirectory("dib-work-").FullName;
        try
        {
            var work = new WorkFolder(root, "img");
            var output = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            foreach (var folder in new[] { work.Tree, work.Build, work.Hooks, Path.GetDirectoryName(work.TreeStamp)! })
                Directory.CreateDirectory(folder);
            foreach (var file in new[] { work.RawDisk, work.TreeStamp, work.DiskStamp, work.TreeInputs, work.DirtyMarker,
                         Path.Combine(output, "img.qcow2.partial"), work.LayoutRecord + ".partial" })
                File.WriteAllText(file, "");

            Assert.IsTrue(InterruptedWork.Recover(work, output, new RecordingBuildLog()));

            foreach (var gone in new[] { work.RawDisk, work.TreeStamp, work.DiskStamp, work.DirtyMarker, Path.Combine(output, "img.qcow2.partial"), work.LayoutRecord + ".partial" })
                Assert.IsFalse(File.Exists(gone), gone);
            Assert.IsFalse(Directory.Exists(work.Tree));
            Assert.IsFalse(Directory.Exists(work.Build));
            Assert.IsTrue(Directory.Exists(work.Hooks));
            Assert.IsTrue(File.Exists(work.TreeInputs));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
