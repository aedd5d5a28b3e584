using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed class BlockDeviceDefaultsTests
{
    [TestMethod]
    [DataRow(BlockDeviceDefaults.Mbr)]
    [DataRow(BlockDeviceDefaults.Gpt)]
    [DataRow(BlockDeviceDefaults.Efi)]
    [DataRow(BlockDeviceDefaults.MbrPpc64el)]
    [DataRow(BlockDeviceDefaults.GptPpc64el)]
    [DataRow(BlockDeviceDefaults.FilesystemOnly)]
    public void Load_EveryBuiltInLayout_ParsesWithTheRootMountedAtSlashFromMkfsRoot(string name)
    {
        var config = BlockDeviceDefaults.Load(name);

        Assert.AreEqual(BlockDeviceDefaults.SourceName(name), config.SourceName);
        Assert.IsInstanceOfType<LocalLoopNode>(config.Find(LocalLoopNode.OutputImageName));
        var root = config.NodesOf<MountNode>().Single(m => m.MountPoint == "/");
        Assert.AreEqual(MkfsNode.RootName, root.Base, "the build's root settings reach the root filesystem through its name");
        var fstab = config.NodesOf<FstabNode>().Single(f => f.Base == root.Name);
        Assert.AreEqual(1, fstab.FsckPassno);
        Assert.IsNull(((MkfsNode)config.Find(MkfsNode.RootName)!).Type, "the build decides the root filesystem type");
    }

    [TestMethod]
    public void Mbr_IsOneBootablePrimaryRootPartitionOverTheWholeDisk()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr);

        var table = config.NodesOf<PartitioningNode>().Single();
        Assert.AreEqual(PartitionTableLabel.Mbr, table.Label);
        Assert.AreEqual(PartitioningNode.DefaultAlignBytes, table.AlignBytes);
        var root = table.Partitions.Single();
        Assert.AreEqual(new PartitionNode("root", "image0", table.Name, PartitionFlags.Boot | PartitionFlags.Primary,
            SizeExpression.FromPercent(100), PartitionTypeCode.MbrDefault, 0), root);
    }

    [TestMethod]
    public void Gpt_IsABiosBootPartitionThenTheRoot()
    {
        var table = BlockDeviceDefaults.Load(BlockDeviceDefaults.Gpt).NodesOf<PartitioningNode>().Single();

        Assert.AreEqual(PartitionTableLabel.Gpt, table.Label);
        CollectionAssert.AreEqual(new[] { "BSP", "root" }, table.Partitions.Select(p => p.Name).ToArray());
        Assert.AreEqual("EF02", table.Partitions[0].Type.Text);
        Assert.AreEqual(SizeExpression.Parse("8MiB"), table.Partitions[0].Size);
        Assert.AreEqual(PartitionTypeCode.GptDefault, table.Partitions[1].Type);
        Assert.AreEqual(SizeExpression.Parse("100%"), table.Partitions[1].Size);
        Assert.IsTrue(table.Partitions[1].IsBoot);
    }

    [TestMethod]
    public void Efi_IsAnEspAtBootEfiABiosBootPartitionAndTheRoot()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi);

        var table = config.NodesOf<PartitioningNode>().Single();
        Assert.AreEqual(PartitionTableLabel.Gpt, table.Label);
        CollectionAssert.AreEqual(new[] { "ESP", "BSP", "root" }, table.Partitions.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "EF00", "EF02", "8300" }, table.Partitions.Select(p => p.Type.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "550MiB", "8MiB", "100%" }, table.Partitions.Select(p => p.Size.ToString()).ToArray());

        var esp = config.NodesOf<MkfsNode>().Single(m => m.Base == "ESP");
        Assert.AreEqual(FilesystemType.Vfat, esp.Type);
        Assert.AreEqual("MKFS_ESP", esp.EffectiveLabel);
        var mount = config.NodesOf<MountNode>().Single(m => m.Base == esp.Name);
        Assert.AreEqual("/boot/efi", mount.MountPoint);
        Assert.AreEqual(2, config.NodesOf<FstabNode>().Single(f => f.Base == mount.Name).FsckPassno);
    }

    [TestMethod]
    public void FilesystemOnly_HasNoPartitionTable()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.FilesystemOnly);

        Assert.IsEmpty(config.NodesOf<PartitioningNode>().ToList());
        Assert.AreEqual(LocalLoopNode.OutputImageName, ((MkfsNode)config.Find(MkfsNode.RootName)!).Base);
    }

    [TestMethod]
    public void Text_UnknownLayout_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => BlockDeviceDefaults.Text("block-device-efi-lvm"));
    }
}
