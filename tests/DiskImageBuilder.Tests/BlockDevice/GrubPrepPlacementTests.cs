using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class GrubPrepPlacementTests
{
    private const long MiB = 1024 * 1024;
    private static readonly RootFilesystemSettings Root = new(FilesystemType.Ext4, "cloudimg-rootfs", null);

    private static DiskPlan Plan(string layout) =>
        DiskPlanner.Plan(BlockDeviceDefaults.Load(layout), Root, new Dictionary<string, TreeUsage> { ["/"] = new(100 * MiB, 1000) }, null, 0);

    private static (string Tree, string Disk) Setup(DiskPlan plan, byte[]? core)
    {
        var dir = Directory.CreateTempSubdirectory("prep").FullName;
        var tree = Path.Combine(dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "boot/grub/powerpc-ieee1275"));
        if (core is not null)
            File.WriteAllBytes(Path.Combine(tree, GrubPrepPlacement.CoreImageInTree), core);
        var disk = Path.Combine(dir, "disk.raw");
        using (var stream = File.Create(disk))
        {
            stream.SetLength(plan.DiskBytes);
            // Stale bytes where the PReP partition is: placing must leave none after the core image.
            stream.Position = plan.Partitions[0].OffsetBytes;
            stream.Write(Enumerable.Repeat((byte)0xAB, (int)MiB).ToArray());
        }
        return (tree, disk);
    }

    [TestMethod]
    [DataRow(BlockDeviceDefaults.MbrPpc64el, "prep")]
    [DataRow(BlockDeviceDefaults.GptPpc64el, "PReP")]
    public void Place_CopiesTheCoreElfToTheStartOfThePrepPartitionAndZeroesTheRest(string layout, string name)
    {
        var plan = Plan(layout);
        var core = "\u007fELF"u8.ToArray().Concat(Enumerable.Range(0, 5000).Select(i => (byte)(i % 251))).ToArray();
        var (tree, disk) = Setup(plan, core);
        try
        {
            var where = GrubPrepPlacement.Place(disk, tree, plan);

            Assert.AreEqual($"PReP partition '{name}'", where);
            var prep = plan.Partitions.Single(p => p.Name == name);
            var bytes = File.ReadAllBytes(disk);
            CollectionAssert.AreEqual(core, bytes.AsSpan((int)prep.OffsetBytes, core.Length).ToArray());
            Assert.IsTrue(bytes.AsSpan((int)prep.OffsetBytes + core.Length, (int)(prep.SizeBytes - core.Length)).IndexOfAnyExcept((byte)0) < 0,
                "the rest of the partition is zeroed");
            Assert.AreEqual(8 * MiB, prep.SizeBytes);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(disk)!, recursive: true);
        }
    }

    [TestMethod]
    public void Place_LayoutWithoutPrep_PlacesNothing()
    {
        var plan = Plan(BlockDeviceDefaults.Mbr);
        var (tree, disk) = Setup(plan, [1, 2, 3]);
        try
        {
            Assert.IsNull(GrubPrepPlacement.Place(disk, tree, plan));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(disk)!, recursive: true);
        }
    }

    [TestMethod]
    public void Place_TreeWithoutCoreImage_FailsWithDIB3005NamingTheBootloaderElement()
    {
        var plan = Plan(BlockDeviceDefaults.MbrPpc64el);
        var (tree, disk) = Setup(plan, null);
        try
        {
            var error = Assert.ThrowsExactly<DibException>(() => GrubPrepPlacement.Place(disk, tree, plan));
            Assert.AreEqual(ErrorCodes.BootloaderMissing, error.Code);
            StringAssert.Contains(error.Message, "'bootloader'");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(disk)!, recursive: true);
        }
    }
}
