using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed class BlockDeviceSizesTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    [TestMethod]
    public void Resolve_MbrRootOf100Percent_IsTheDiskLessTheFirstMiB()
    {
        var sizes = BlockDeviceSizes.Resolve(BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr), 4 * GiB);

        Assert.AreEqual(4 * GiB, sizes["image0"]);
        Assert.AreEqual(4 * GiB - MiB, sizes["root"]);
    }

    [TestMethod]
    public void Resolve_EfiLayout_GivesFixedPartitionsTheirSizeAndRootTheRestLessTheGptTables()
    {
        var sizes = BlockDeviceSizes.Resolve(BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi), 4 * GiB);

        Assert.AreEqual(550 * MiB, sizes["ESP"]);
        Assert.AreEqual(8 * MiB, sizes["BSP"]);
        Assert.AreEqual(4 * GiB - 2 * MiB - 558 * MiB, sizes["root"]);
    }

    [TestMethod]
    public void Resolve_Percentages_AreSharesOfTheSpaceTheEarlierPartitionsLeft()
    {
        // diskimage-builder's documented example: 33%, 50%, 100% give three partitions of about a third each.
        var config = ConfigAssert.Parse("""
            - local_loop: { name: data_image }
            - partitioning:
                base: data_image
                label: gpt
                partitions:
                  - { name: data0, size: 33% }
                  - { name: data1, size: 50% }
                  - { name: data2, size: 100% }
            """);

        var sizes = BlockDeviceSizes.Resolve(config, 3002 * MiB);

        Assert.AreEqual(990 * MiB, sizes["data0"], "33% of the 3000 MiB between the tables, rounded down to whole MiB");
        Assert.AreEqual(1005 * MiB, sizes["data1"], "50% of the 2010 MiB left");
        Assert.AreEqual(1005 * MiB, sizes["data2"]);
    }

    [TestMethod]
    public void Resolve_AbsoluteSizes_AreRoundedUpToTheAlignment()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: mbr
                align: 4MiB
                partitions:
                  - { name: a, flags: [primary], size: 1GB }
                  - { name: b, flags: [primary], size: 100% }
            """);

        var sizes = BlockDeviceSizes.Resolve(config, 2 * GiB);

        Assert.AreEqual(956 * MiB, sizes["a"], "1 GB is 953.67 MiB, rounded up to whole 4 MiB");
        Assert.AreEqual(2 * GiB - 4 * MiB - 956 * MiB, sizes["b"]);
    }

    [TestMethod]
    public void Resolve_LogicalPartitions_EachCostOneAlignmentForTheirBootRecord()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: mbr
                partitions:
                  - { name: root, flags: [boot, primary], size: 512MiB }
                  - { name: var, size: 256MiB }
                  - { name: rest, size: 100% }
            """);

        var sizes = BlockDeviceSizes.Resolve(config, GiB);

        Assert.AreEqual(256 * MiB, sizes["var"]);
        Assert.AreEqual(GiB - MiB - 512 * MiB - MiB - 256 * MiB - MiB, sizes["rest"]);
    }

    [TestMethod]
    public void Resolve_ImageWithItsOwnSize_IgnoresTheBuildsSize()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - local_loop: { name: data, size: 2GiB }
            """);

        var sizes = BlockDeviceSizes.Resolve(config, 5 * GiB);

        Assert.AreEqual(5 * GiB, sizes["image0"]);
        Assert.AreEqual(2 * GiB, sizes["data"]);
    }

    [TestMethod]
    public void Resolve_PartitionTableOnAPartition_IsSizedFromThatPartition()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: outer
                    size: 100%
                    partitioning:
                      label: mbr
                      partitions:
                        - { name: inner, flags: [primary], size: 50% }
            """);

        var sizes = BlockDeviceSizes.Resolve(config, 1026 * MiB);

        Assert.AreEqual(1024 * MiB, sizes["outer"]);
        Assert.AreEqual(511 * MiB, sizes["inner"]);
    }

    [TestMethod]
    public void Resolve_FixedSizesLargerThanTheDisk_FailsWithDib3003NamingThePartitionAndItsLine()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi);

        var error = Assert.ThrowsExactly<DibException>(() => BlockDeviceSizes.Resolve(config, 500 * MiB));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.AreEqual(config.Find("ESP")!.SourceLine, error.Line);
        Assert.Contains("partition 'ESP'", error.Message);
        Assert.Contains(BlockDeviceDefaults.SourceName(BlockDeviceDefaults.Efi), error.Message);
    }

    [TestMethod]
    public void Resolve_PercentageThatLeavesLessThanOneUnit_FailsWithDib3003()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - { name: big, size: 10MiB }
                  - { name: tiny, size: 1% }
            """);

        var error = Assert.ThrowsExactly<DibException>(() => BlockDeviceSizes.Resolve(config, 13 * MiB));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.AreEqual(7, error.Line);
        Assert.Contains("partition 'tiny'", error.Message);
    }

    [TestMethod]
    public void Resolve_PartitionsOnALogicalVolume_AreLeftToLvcreate()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - lvm:
                pvs: [{ name: pv, base: image0 }]
                vgs: [{ name: vg, base: pv }]
                lvs: [{ name: lv, base: vg, size: 1G }]
            - partitioning:
                base: lv
                label: gpt
                partitions: [{ name: p, size: 100% }]
            """);

        var sizes = BlockDeviceSizes.Resolve(config, GiB);

        CollectionAssert.AreEquivalent(new[] { "image0" }, sizes.Keys.ToArray());
    }
}
