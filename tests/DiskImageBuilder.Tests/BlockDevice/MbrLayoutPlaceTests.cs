using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Tests.BlockDevice.Config;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class MbrLayoutPlaceTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private const long TiB = 1024 * GiB;
    private const long SectorsPerMiB = MiB / 512;
    private const byte Linux = 0x83;

    [TestMethod]
    public void Place_OnlyPrimaries_BackToBackFrom1MiBAndNoExtendedPartition()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB,
        [
            Primary("boot", 16 * MiB, 0x0C, bootable: true),
            Primary("swap", 8 * MiB, 0x82),
            Primary("root", 39 * MiB),
        ]);
        CollectionAssert.AreEqual(new[] { (2048L, 16 * SectorsPerMiB), (17 * SectorsPerMiB, 8 * SectorsPerMiB), (25 * SectorsPerMiB, 39 * SectorsPerMiB) },
            plan.Partitions.Select(p => (p.StartSector, p.SectorCount)).ToArray(), "back to back from sector 2048 (1 MiB)");
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, plan.Partitions.Select(p => p.Number).ToArray());
        Assert.IsTrue(plan.Partitions.All(p => p.BootRecordSector is null), "no EBRs");
        Assert.IsNull(plan.ExtendedStartSector);
        Assert.IsNull(plan.ExtendedSectorCount);
        Assert.IsNull(plan.ExtendedNumber);
    }

    [TestMethod]
    public void Place_OnePrimaryThreeLogicals_EachLogicalFollowsTheUnitOfItsBootRecord()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB,
        [
            Primary("boot", 8 * MiB),
            Logical("var", 4 * MiB),
            Logical("swap", 2 * MiB, 0x82),
            Logical("root", 16 * MiB),
        ]);

        // boot 1..9 MiB; EBR 9, var 10..14; EBR 14, swap 15..17; EBR 17, root 18..34.
        AssertPlaced(plan.Partitions[0], "boot", 1, 1, 8, null);
        AssertPlaced(plan.Partitions[1], "var", 5, 10, 4, 9);
        AssertPlaced(plan.Partitions[2], "swap", 6, 15, 2, 14);
        AssertPlaced(plan.Partitions[3], "root", 7, 18, 16, 17);
        Assert.AreEqual(9 * SectorsPerMiB, plan.ExtendedStartSector, "the extended partition starts at the first EBR");
        Assert.AreEqual(25 * SectorsPerMiB, plan.ExtendedSectorCount, "and ends with the last logical partition");
        Assert.AreEqual(2, plan.ExtendedNumber);
    }

    [TestMethod]
    public void Place_ThreePrimariesTwoLogicalsAlignedTo4MiB_EveryStartAndEveryBootRecordIsOn4MiB()
    {
        const long align = 4 * MiB;
        var plan = MbrLayout.Place(256 * MiB, align,
        [
            Primary("esp", 8 * MiB, 0xEF),
            Primary("boot", 12 * MiB),
            Primary("swap", 4 * MiB, 0x82),
            Logical("var", 40 * MiB),
            Logical("root", 100 * MiB),
        ]);

        AssertPlaced(plan.Partitions[0], "esp", 1, 4, 8, null);
        AssertPlaced(plan.Partitions[1], "boot", 2, 12, 12, null);
        AssertPlaced(plan.Partitions[2], "swap", 3, 24, 4, null);
        AssertPlaced(plan.Partitions[3], "var", 5, 32, 40, 28);
        AssertPlaced(plan.Partitions[4], "root", 6, 76, 100, 72);
        Assert.AreEqual(28 * SectorsPerMiB, plan.ExtendedStartSector);
        Assert.AreEqual(148 * SectorsPerMiB, plan.ExtendedSectorCount);
        Assert.AreEqual(4, plan.ExtendedNumber);
        Assert.AreEqual(align, plan.AlignBytes);
    }

    [TestMethod]
    public void Place_PrimaryAfterTheLogicals_TakesTheEntryAfterTheExtendedPartition()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB,
        [
            Primary("boot", 8 * MiB),
            Logical("var", 4 * MiB),
            Logical("home", 4 * MiB),
            Primary("root", 8 * MiB),
        ]);

        CollectionAssert.AreEqual(new[] { 1, 5, 6, 3 }, plan.Partitions.Select(p => p.Number).ToArray());
        Assert.AreEqual(2, plan.ExtendedNumber);
        AssertPlaced(plan.Partitions[3], "root", 3, 19, 8, null);
        Assert.AreEqual(10 * SectorsPerMiB, plan.ExtendedSectorCount, "the extended partition ends with 'home', before 'root'");
    }

    [TestMethod]
    public void Place_OnlyLogicals_ExtendedPartitionIsEntry1AndStartsOneUnitIn()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB, [Logical("a", MiB), Logical("b", MiB)]);

        Assert.AreEqual(1, plan.ExtendedNumber);
        Assert.AreEqual(SectorsPerMiB, plan.ExtendedStartSector);
        AssertPlaced(plan.Partitions[0], "a", 5, 2, 1, 1);
        AssertPlaced(plan.Partitions[1], "b", 6, 4, 1, 3);
    }

    [TestMethod]
    public void Place_LogicalThatFitsOnlyWithoutItsBootRecordUnit_FailsWithDib3003NamingIt()
    {
        // 1 MiB table + 8 MiB boot + 55 MiB = 64 MiB: a primary would fit, a logical needs 1 MiB more for its EBR.
        var primary = MbrLayout.Place(64 * MiB, MiB, [Primary("boot", 8 * MiB), Primary("data", 55 * MiB)]);
        Assert.AreEqual(64 * SectorsPerMiB, primary.Partitions[1].StartSector + primary.Partitions[1].SectorCount);

        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Place(64 * MiB, MiB, [Primary("boot", 8 * MiB), Logical("data", 55 * MiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'data'", error.Message);
        Assert.Contains("extended boot record", error.Message);
        Assert.Contains("Make the disk at least 65MiB", error.Message);
    }

    [TestMethod]
    public void Place_PrimaryBetweenLogicals_FailsWithDib3003NamingItAndTheLogicalsAround()
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(64 * MiB, MiB,
        [
            Primary("boot", 4 * MiB),
            Logical("var", 4 * MiB),
            Primary("swap", 4 * MiB, 0x82),
            Logical("root", 4 * MiB),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'swap'", error.Message);
        Assert.Contains("'var' and 'root'", error.Message);
        Assert.Contains("removing 'primary'", error.Message);
    }

    [TestMethod]
    public void Place_FourPrimariesAndALogical_FailsWithDib3003SayingThreePrimariesGoWithLogicals()
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(64 * MiB, MiB,
        [
            Primary("a", MiB), Primary("b", MiB), Primary("c", MiB), Primary("d", MiB), Logical("e", MiB),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'a', 'b', 'c', 'd'", error.Message);
        Assert.Contains("at most 3 primary partitions", error.Message);
    }

    [TestMethod]
    public void Place_FivePrimaries_FailsWithDib3003()
    {
        var requests = Enumerable.Range(1, 5).Select(i => Primary($"p{i}", MiB)).ToArray();

        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(64 * MiB, MiB, requests));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'p5'", error.Message);
    }

    [TestMethod]
    public void Place_ThreePrimariesAndManyLogicals_IsAccepted()
    {
        var requests = new[] { Primary("a", MiB), Primary("b", MiB), Primary("c", MiB) }
            .Concat(Enumerable.Range(0, 20).Select(i => Logical($"l{i}", MiB)))
            .ToArray();

        var plan = MbrLayout.Place(64 * MiB, MiB, requests);

        CollectionAssert.AreEqual(Enumerable.Range(5, 20).ToArray(), plan.Partitions.Skip(3).Select(p => p.Number).ToArray());
    }

    [TestMethod]
    public void Place_LogicalEndingPast2TiB_FailsWithDib3003NamingIt()
    {
        // The logical's EBR unit pushes its end 1 MiB past the last sector a 32-bit LBA reaches.
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Place(3 * TiB, MiB, [Primary("boot", MiB), Logical("data", 2 * TiB - 3 * MiB + MiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'data'", error.Message);
        Assert.Contains("GPT", error.Message);
    }

    [TestMethod]
    public void Place_LogicalEndingExactlyAt2TiB_IsAccepted()
    {
        var plan = MbrLayout.Place(3 * TiB, MiB, [Primary("boot", MiB), Logical("data", 2 * TiB - 3 * MiB)]);

        var data = plan.Partitions[1];
        Assert.AreEqual(MbrLayout.AddressableSectors, data.StartSector + data.SectorCount);
    }

    [TestMethod]
    [DataRow((byte)0x00, DisplayName = "0x00, an empty entry")]
    [DataRow((byte)0x05, DisplayName = "0x05, extended (CHS)")]
    [DataRow((byte)0x0F, DisplayName = "0x0F, extended (LBA)")]
    [DataRow((byte)0x85, DisplayName = "0x85, Linux extended")]
    public void Place_TypeAnMbrCannotHoldAsAPartition_FailsWithDib3001NamingIt(byte type)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Place(64 * MiB, MiB, [Primary("boot", MiB), Logical("odd", MiB, type)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains("'odd'", error.Message);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-MiB)]
    [DataRow(MiB + 512)]
    public void Place_SizeNotAPositiveMultipleOfTheAlignment_ThrowsArgumentException(long size)
    {
        Assert.ThrowsExactly<ArgumentException>(() => MbrLayout.Place(64 * MiB, MiB, [Logical("data", size)]));
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(1000L)]
    public void Place_AlignmentNotAPositiveMultipleOf512_ThrowsArgumentOutOfRange(long align)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MbrLayout.Place(64 * MiB, align, []));
    }

    [TestMethod]
    [DataRow(GiB, DisplayName = "1 GiB")]
    [DataRow(GiB + 3 * MiB + 512, DisplayName = "1 GiB + 3 MiB + 512 bytes, not whole units")]
    public void Place_SizesResolvedByTheSizeModel_FillTheDiskExactlyWithOneUnitPerBootRecord(long diskBytes)
    {
        const long align = 4 * MiB;
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: mbr
                align: 4MiB
                partitions:
                  - { name: boot, flags: [boot, primary], size: 100MiB }
                  - { name: esp, flags: [primary], type: 'ef', size: 5MiB }
                  - { name: var, size: 10% }
                  - { name: swap, type: '82', size: 64MiB }
                  - { name: root, flags: [boot], size: 100% }
            """);
        var table = config.NodesOf<PartitioningNode>().Single();
        var sizes = BlockDeviceSizes.Resolve(config, diskBytes);
        var requests = table.Partitions
            .Select(p => new MbrPartitionRequest(p.Name, sizes[p.Name], p.Type.MbrType, p.IsBoot, p.IsPrimary))
            .ToArray();

        var plan = MbrLayout.Place(diskBytes, table.AlignBytes, requests);

        long alignSectors = align / 512;
        long lastUnit = diskBytes / align * alignSectors;
        long previousEnd = alignSectors;
        for (int i = 0; i < requests.Length; i++)
        {
            var placed = plan.Partitions[i];
            Assert.AreEqual(sizes[placed.Name], placed.SectorCount * 512, $"size of '{placed.Name}'");
            long expectedStart = previousEnd + (requests[i].Primary ? 0 : alignSectors);
            Assert.AreEqual(expectedStart, placed.StartSector, $"start of '{placed.Name}': one unit after the one before it for a logical partition");
            if (!requests[i].Primary)
            {
                Assert.AreEqual(previousEnd, placed.BootRecordSector, $"EBR of '{placed.Name}'");
            }

            previousEnd = placed.StartSector + placed.SectorCount;
        }

        Assert.AreEqual(lastUnit, previousEnd, "100% in the size model ends exactly on the disk's last whole unit");
        CollectionAssert.AreEqual(new[] { 1, 2, 5, 6, 7 }, plan.Partitions.Select(p => p.Number).ToArray());
        Assert.IsTrue(plan.Partitions[4].Bootable, "the boot flag of the logical 'root'");

        // The fit is tight: one unit less of disk and the last partition no longer fits.
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(lastUnit * 512 - align, align, requests));
        Assert.Contains("'root'", error.Message);
    }

    [TestMethod]
    public void Place_NoPartitions_PlacesNothing() =>
        Assert.IsEmpty(MbrLayout.Place(64 * MiB, MiB, []).Partitions);

    [TestMethod]
    public void Place_PrimariesFillTheDiskExactly_AreAccepted()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB, [Primary("a", 31 * MiB), Primary("b", 32 * MiB)]);

        Assert.AreEqual(64 * SectorsPerMiB, plan.Partitions[1].StartSector + plan.Partitions[1].SectorCount);
    }

    [TestMethod]
    public void Place_PrimaryLargerThanTheDisk_FailsWithDib3003NamingIt()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Place(64 * MiB, MiB, [Primary("boot", 8 * MiB, 0x0C, bootable: true), Primary("toobig", 64 * MiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'toobig'", error.Message);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(MiB)]
    [DataRow(-MiB)]
    public void Place_DiskTooSmallForOneMiBPartition_FailsWithDib3003(long diskBytes)
    {
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(diskBytes, MiB, [Primary("root", MiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Place_PrimaryEndingPast2TiB_FailsWithDib3003()
    {
        // 2 TiB starting at 1 MiB ends 1 MiB past the last sector a 32-bit LBA reaches.
        var error = Assert.ThrowsExactly<DibException>(() => MbrLayout.Place(3 * TiB, MiB, [Primary("data", 2 * TiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Place_SecondPrimaryStartingPast2TiB_FailsWithDib3003()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrLayout.Place(4 * TiB, MiB, [Primary("first", 2 * TiB - 2 * MiB), Primary("second", 2 * MiB)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    private static MbrPartitionRequest Primary(string name, long size, byte type = Linux, bool bootable = false) =>
        new(name, size, type, bootable, Primary: true);

    private static MbrPartitionRequest Logical(string name, long size, byte type = Linux, bool bootable = false) =>
        new(name, size, type, bootable, Primary: false);

    private static void AssertPlaced(PlacedMbrPartition partition, string name, int number, long startMiB, long sizeMiB, long? bootRecordMiB)
    {
        Assert.AreEqual(name, partition.Name);
        Assert.AreEqual(number, partition.Number, $"number of '{name}'");
        Assert.AreEqual(startMiB * SectorsPerMiB, partition.StartSector, $"start of '{name}'");
        Assert.AreEqual(sizeMiB * SectorsPerMiB, partition.SectorCount, $"sectors of '{name}'");
        Assert.AreEqual(bootRecordMiB * SectorsPerMiB, partition.BootRecordSector, $"EBR of '{name}'");
    }
}
