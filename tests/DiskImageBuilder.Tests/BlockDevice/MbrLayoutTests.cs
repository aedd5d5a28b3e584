using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class MbrLayoutTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private const long TiB = 1024 * GiB;
    private const long SectorsPerMiB = MiB / MbrLayout.SectorSize;
    private const byte Linux = 0x83;

    [TestMethod]
    public void Plan_OnePartition_StartsAtSector2048()
    {
        var planned = MbrLayout.Plan(64 * MiB, [new PartitionRequest("root", 8 * MiB, Linux, Bootable: false)]);

        Assert.AreEqual(2048L, planned[0].StartSector);
    }

    [TestMethod]
    public void Plan_SizesNotWholeMiB_EveryStartIsAlignedTo1MiB()
    {
        var planned = MbrLayout.Plan(64 * MiB,
        [
            new PartitionRequest("a", 1, Linux, Bootable: false),
            new PartitionRequest("b", MiB + 1, Linux, Bootable: false),
            new PartitionRequest("c", 3 * MiB - 1, Linux, Bootable: false),
            new PartitionRequest("d", 0, Linux, Bootable: false),
        ]);

        Assert.HasCount(4, planned);
        foreach (var partition in planned)
        {
            Assert.AreEqual(0L, partition.StartSector * MbrLayout.SectorSize % MbrLayout.AlignmentBytes, $"start {partition.StartSector} is a multiple of 1 MiB");
        }
    }

    [TestMethod]
    [DataRow(1L, 2048L)]
    [DataRow(MiB - 1, 2048L)]
    [DataRow(MiB, 2048L)]
    [DataRow(MiB + 1, 4096L)]
    [DataRow(10 * MiB + 512, 22528L)]
    public void Plan_ExplicitSize_RoundsUpToWholeMiB(long sizeBytes, long expectedSectors)
    {
        var planned = MbrLayout.Plan(64 * MiB, [new PartitionRequest("root", sizeBytes, Linux, Bootable: false)]);

        Assert.AreEqual(expectedSectors, planned[0].SectorCount);
    }

    [TestMethod]
    public void Plan_Partitions_AreBackToBackInRequestOrder()
    {
        var planned = MbrLayout.Plan(64 * MiB,
        [
            new PartitionRequest("boot", 5 * MiB, 0x0C, Bootable: true),
            new PartitionRequest("swap", 7 * MiB, 0x82, Bootable: false),
            new PartitionRequest("root", 0, Linux, Bootable: false),
        ]);

        var expected = new[]
        {
            new MbrPartition(1 * SectorsPerMiB, 5 * SectorsPerMiB, 0x0C, Bootable: true),
            new MbrPartition(6 * SectorsPerMiB, 7 * SectorsPerMiB, 0x82, Bootable: false),
            new MbrPartition(13 * SectorsPerMiB, 51 * SectorsPerMiB, Linux, Bootable: false),
        };
        CollectionAssert.AreEqual(expected, planned.ToArray());
    }

    [TestMethod]
    public void Plan_RestOfDiskOnWholeMiBDisk_EndsAtLastSector()
    {
        var planned = MbrLayout.Plan(64 * MiB, [new PartitionRequest("root", 0, Linux, Bootable: false)]);

        Assert.AreEqual(64 * SectorsPerMiB, planned[0].StartSector + planned[0].SectorCount);
    }

    [TestMethod]
    [DataRow(64 * MiB + 512)]
    [DataRow(64 * MiB + 1234)]
    [DataRow(65 * MiB - 1)]
    public void Plan_RestOfDiskOnDiskNotWholeMiB_EndsAtLastMiBBoundary(long diskBytes)
    {
        var planned = MbrLayout.Plan(diskBytes, [new PartitionRequest("root", -1, Linux, Bootable: false)]);

        Assert.AreEqual(64 * SectorsPerMiB, planned[0].StartSector + planned[0].SectorCount);
    }

    [TestMethod]
    public void Plan_ExplicitSizesFillDiskExactly_AreAccepted()
    {
        var planned = MbrLayout.Plan(64 * MiB,
        [
            new PartitionRequest("a", 31 * MiB, Linux, Bootable: false),
            new PartitionRequest("b", 32 * MiB, Linux, Bootable: false),
        ]);

        Assert.AreEqual(64 * SectorsPerMiB, planned[1].StartSector + planned[1].SectorCount);
    }

    [TestMethod]
    public void Plan_RestOfDiskOn2TiBDisk_EndsAtLastAddressableSector()
    {
        var planned = MbrLayout.Plan(2 * TiB, [new PartitionRequest("root", 0, Linux, Bootable: false)]);

        Assert.AreEqual(MbrLayout.AddressableSectors, planned[0].StartSector + planned[0].SectorCount);
    }

    [TestMethod]
    public void Plan_NoPartitions_ReturnsEmpty()
    {
        Assert.IsEmpty(MbrLayout.Plan(64 * MiB, []));
    }

    [TestMethod]
    public void Plan_FivePartitions_FailsWithPartitionsDoNotFit()
    {
        var requests = Enumerable.Range(1, 5).Select(i => new PartitionRequest($"p{i}", MiB, Linux, Bootable: false)).ToArray();

        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Plan(64 * MiB, requests));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_PartitionLargerThanDisk_FailsWithPartitionsDoNotFitNamingIt()
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Plan(64 * MiB,
        [
            new PartitionRequest("boot", 8 * MiB, 0x0C, Bootable: true),
            new PartitionRequest("toobig", 64 * MiB, Linux, Bootable: false),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'toobig'", error.Message);
    }

    [TestMethod]
    public void Plan_RoundingUpPushesPastDiskEnd_FailsWithPartitionsDoNotFit()
    {
        // 63 MiB + 1 byte rounds up to 64 MiB, which after the first 1 MiB no longer fits a 64 MiB disk.
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(64 * MiB, [new PartitionRequest("root", 63 * MiB + 1, Linux, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_RestOfDiskNotLast_FailsWithPartitionsDoNotFit()
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Plan(64 * MiB,
        [
            new PartitionRequest("root", 0, Linux, Bootable: false),
            new PartitionRequest("swap", 8 * MiB, 0x82, Bootable: false),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    [DataRow(64 * MiB, 63 * MiB, DisplayName = "disk full before the last partition")]
    [DataRow(64 * MiB + 4096, 63 * MiB, DisplayName = "less than 1 MiB left")]
    public void Plan_RestOfDiskWithNothingLeft_FailsWithPartitionsDoNotFit(long diskBytes, long firstBytes)
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Plan(diskBytes,
        [
            new PartitionRequest("boot", firstBytes, 0x0C, Bootable: true),
            new PartitionRequest("root", 0, Linux, Bootable: false),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(MiB)]
    [DataRow(-MiB)]
    public void Plan_DiskTooSmallForOneMiBPartition_FailsWithPartitionsDoNotFit(long diskBytes)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(diskBytes, [new PartitionRequest("root", MiB, Linux, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_PartitionEndingPast2TiB_FailsWithPartitionsDoNotFit()
    {
        // 2 TiB starting at 1 MiB ends 1 MiB past the last sector a 32-bit LBA reaches.
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(3 * TiB, [new PartitionRequest("data", 2 * TiB, Linux, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_SecondPartitionStartingPast2TiB_FailsWithPartitionsDoNotFit()
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Plan(4 * TiB,
        [
            new PartitionRequest("first", 2 * TiB - 2 * MiB, Linux, Bootable: false),
            new PartitionRequest("second", 2 * MiB, Linux, Bootable: false),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_RestOfDiskOnDiskLargerThan2TiB_FailsWithPartitionsDoNotFit()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(3 * TiB, [new PartitionRequest("root", 0, Linux, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_SizeNearLongMaxValue_FailsWithPartitionsDoNotFitWithoutOverflow()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(long.MaxValue, [new PartitionRequest("huge", long.MaxValue, Linux, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_TypeZero_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Plan(64 * MiB, [new PartitionRequest("root", 0, 0x00, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }
}
