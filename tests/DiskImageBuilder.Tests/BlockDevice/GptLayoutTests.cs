using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class GptLayoutTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private const long SectorsPerMiB = MiB / GptLayout.SectorSize;

    // The end of a GPT disk: backup entry array (32 sectors) and backup header (1), restated so the tests do not trust the layout's constants.
    private const long BackupGptSectors = 33;

    [TestMethod]
    public void Geometry_128EntriesOf128Bytes_FirstUsableLba34AndLastUsable34FromTheEnd()
    {
        Assert.AreEqual(34L, GptLayout.FirstUsableLba);
        Assert.AreEqual(524_254L, GptLayout.LastUsableLba(256 * SectorsPerMiB), "last usable LBA of a 256 MiB disk, as sgdisk -p reports it");
    }

    [TestMethod]
    public void Plan_BiosEspRoot_PlacesEachBackToBackFrom1MiBAndRootUpToTheLastMiBBeforeTheBackupGpt()
    {
        Guid bios = new("11111111-0000-0000-0000-000000000001");
        Guid esp = new("11111111-0000-0000-0000-000000000002");
        Guid root = new("11111111-0000-0000-0000-000000000003");

        var planned = GptLayout.Plan(256 * MiB,
        [
            new GptPartitionRequest("BIOS", MiB, "EF02", GptPartitionAttributes.LegacyBiosBootable, bios),
            new GptPartitionRequest("ESP", 64 * MiB, "EF00", UniqueGuid: esp),
            new GptPartitionRequest("root", 0, "8300", UniqueGuid: root),
        ]);

        var expected = new[]
        {
            new GptPartition(2048, 2048, GptPartitionType.BiosBoot, bios, "BIOS", GptPartitionAttributes.LegacyBiosBootable),
            new GptPartition(4096, 64 * SectorsPerMiB, GptPartitionType.EfiSystem, esp, "ESP", 0),
            // 256 MiB less 1 MiB at the start, 1 MiB for the BIOS boot partition, 64 MiB for the ESP and the last MiB,
            // which the backup GPT cuts short.
            new GptPartition(135_168, 189 * SectorsPerMiB, GptPartitionType.LinuxFilesystem, root, "root", 0),
        };
        CollectionAssert.AreEqual(expected, planned.ToArray());
    }

    [TestMethod]
    public void Plan_SizesNotWholeMiB_RoundUpAndEveryStartIsAlignedTo1MiB()
    {
        var planned = GptLayout.Plan(64 * MiB,
        [
            new GptPartitionRequest("a", 1, "8300"),
            new GptPartitionRequest("b", MiB + 1, "8300"),
            new GptPartitionRequest("c", 3 * MiB - 1, "8300"),
            new GptPartitionRequest("d", 0, "8300"),
        ]);

        CollectionAssert.AreEqual(new[] { 1 * SectorsPerMiB, 2 * SectorsPerMiB, 3 * SectorsPerMiB }, planned.Take(3).Select(p => p.SectorCount).ToArray(), "rounded sizes");
        foreach (var partition in planned)
        {
            Assert.AreEqual(0L, partition.StartLba % SectorsPerMiB, $"start {partition.StartLba} is a multiple of 1 MiB");
            Assert.AreEqual(0L, partition.SectorCount % SectorsPerMiB, $"size {partition.SectorCount} is a multiple of 1 MiB");
        }
    }

    [TestMethod]
    [DataRow(64 * MiB, 62 * SectorsPerMiB, DisplayName = "whole MiB: the last MiB holds the backup GPT")]
    [DataRow(64 * MiB + 33 * 512, 63 * SectorsPerMiB, DisplayName = "whole MiB plus exactly the backup GPT")]
    [DataRow(64 * MiB + 33 * 512 - 1, 62 * SectorsPerMiB, DisplayName = "one byte short of that")]
    [DataRow(GiB, 1022 * SectorsPerMiB, DisplayName = "1 GiB")]
    public void Plan_RestOfDisk_EndsOnTheLastMiBBoundaryBeforeTheBackupGpt(long diskBytes, long expectedSectors)
    {
        var planned = GptLayout.Plan(diskBytes, [new GptPartitionRequest("root", 0, "8300")]);

        Assert.AreEqual(expectedSectors, planned[0].SectorCount);
        long diskSectors = diskBytes / 512;
        Assert.IsLessThanOrEqualTo(diskSectors - BackupGptSectors - 1, planned[0].LastLba, "last LBA is before the backup entry array");
    }

    [TestMethod]
    public void Plan_ExplicitSizeEndingRightBeforeTheBackupGpt_IsAccepted()
    {
        long diskBytes = 64 * MiB + BackupGptSectors * 512;

        var planned = GptLayout.Plan(diskBytes, [new GptPartitionRequest("root", 63 * MiB, "8300")]);

        Assert.AreEqual(GptLayout.LastUsableLba(diskBytes / 512), planned[0].LastLba);
    }

    [TestMethod]
    public void Plan_ExplicitSizeReachingIntoTheBackupGpt_FailsWithPartitionsDoNotFitNamingPartitionAndSectors()
    {
        // 63 MiB from 1 MiB ends at the last sector of a 64 MiB disk, where the backup header lives.
        var error = Assert.ThrowsExactly<DibException>(() =>
            GptLayout.Plan(64 * MiB, [new GptPartitionRequest("root", 63 * MiB, "8300")]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("Partition 1 'root'", error.Message);
        Assert.Contains("131071", error.Message, "the last sector it would need");
        Assert.Contains("131038", error.Message, "the last usable sector");
        Assert.Contains("65 MiB", error.Message, "the disk size that would do");
    }

    [TestMethod]
    public void Plan_TypeCodesAndGuid_ResolvedToTypeGuids()
    {
        var planned = GptLayout.Plan(64 * MiB,
        [
            new GptPartitionRequest("esp", MiB, "ef00"),
            new GptPartitionRequest("swap", MiB, "8200"),
            new GptPartitionRequest("home", MiB, "933AC7E1-2EB4-4F13-B844-0E14E2AEF915"),
        ]);

        Assert.AreEqual(GptPartitionType.EfiSystem, planned[0].TypeGuid, "lower-case code");
        Assert.AreEqual(GptPartitionType.LinuxSwap, planned[1].TypeGuid, "code");
        Assert.AreEqual(new Guid("933AC7E1-2EB4-4F13-B844-0E14E2AEF915"), planned[2].TypeGuid, "GUID given as is");
    }

    [TestMethod]
    public void Plan_GivenGuidsAndAttributes_KeepsThem()
    {
        Guid unique = new("22222222-3333-4444-5555-666666666666");
        const ulong attributes = GptPartitionAttributes.RequiredPartition | (1UL << 60);

        var planned = GptLayout.Plan(64 * MiB, [new GptPartitionRequest("root", 0, "8304", attributes, unique)]);

        Assert.AreEqual(unique, planned[0].UniqueGuid);
        Assert.AreEqual(attributes, planned[0].Attributes);
        Assert.AreEqual("root", planned[0].Name);
    }

    [TestMethod]
    public void Plan_NoUniqueGuids_DrawsDistinctNonZeroOnes()
    {
        var requests = Enumerable.Range(1, 10).Select(i => new GptPartitionRequest($"p{i}", MiB, "8300")).ToArray();

        var planned = GptLayout.Plan(64 * MiB, requests);

        Assert.IsFalse(planned.Any(p => p.UniqueGuid == Guid.Empty), "a zero GUID");
        Assert.HasCount(10, planned.Select(p => p.UniqueGuid).Distinct());
    }

    [TestMethod]
    public void Plan_128Partitions_AreAccepted()
    {
        var requests = Enumerable.Range(1, 128).Select(i => new GptPartitionRequest($"p{i}", MiB, "8300")).ToArray();

        var planned = GptLayout.Plan(256 * MiB, requests);

        Assert.HasCount(128, planned);
        Assert.AreEqual(128 * SectorsPerMiB, planned[^1].StartLba);
    }

    [TestMethod]
    public void Plan_129Partitions_FailsWithPartitionsDoNotFit()
    {
        var requests = Enumerable.Range(1, 129).Select(i => new GptPartitionRequest($"p{i}", MiB, "8300")).ToArray();

        var error = Assert.ThrowsExactly<DibException>(() => GptLayout.Plan(256 * MiB, requests));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("129", error.Message);
        Assert.Contains("'p129'", error.Message);
    }

    [TestMethod]
    public void Plan_PartitionLargerThanDisk_FailsWithPartitionsDoNotFitNamingIt()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptLayout.Plan(64 * MiB,
        [
            new GptPartitionRequest("ESP", 8 * MiB, "EF00"),
            new GptPartitionRequest("toobig", 64 * MiB, "8300"),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("Partition 2 'toobig'", error.Message);
    }

    [TestMethod]
    public void Plan_RestOfDiskNotLast_FailsWithPartitionsDoNotFit()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptLayout.Plan(64 * MiB,
        [
            new GptPartitionRequest("root", 0, "8300"),
            new GptPartitionRequest("swap", 8 * MiB, "8200"),
        ]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'root'", error.Message);
        Assert.Contains("'swap'", error.Message);
    }

    [TestMethod]
    [DataRow(64 * MiB, 62 * MiB, DisplayName = "the fixed partitions fill the usable whole MiB")]
    [DataRow(2 * MiB, 0L, DisplayName = "2 MiB disk: the backup GPT takes the only MiB after the first")]
    public void Plan_RestOfDiskWithNothingLeft_FailsWithPartitionsDoNotFit(long diskBytes, long firstBytes)
    {
        GptPartitionRequest[] requests = firstBytes > 0
            ? [new GptPartitionRequest("ESP", firstBytes, "EF00"), new GptPartitionRequest("root", 0, "8300")]
            : [new GptPartitionRequest("root", 0, "8300")];

        var error = Assert.ThrowsExactly<DibException>(() => GptLayout.Plan(diskBytes, requests));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'root'", error.Message);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(MiB)]
    [DataRow(-MiB)]
    public void Plan_DiskTooSmallForOneMiBPartition_FailsWithPartitionsDoNotFit(long diskBytes)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            GptLayout.Plan(diskBytes, [new GptPartitionRequest("root", MiB, "8300")]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_SizeNearLongMaxValue_FailsWithPartitionsDoNotFitWithoutOverflow()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            GptLayout.Plan(long.MaxValue, [new GptPartitionRequest("huge", long.MaxValue, "8300")]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void Plan_UnknownTypeCode_FailsWithUnsupportedLayoutNamingValueAndKnownCodes()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            GptLayout.Plan(64 * MiB, [new GptPartitionRequest("data", 0, "8301")]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains("Partition 1 'data'", error.Message);
        Assert.Contains("'8301'", error.Message);
        foreach (string code in new[] { "8300", "EF00", "EF02", "8E00", "8200", "0700", "FD00", "8304", "8305" })
        {
            Assert.Contains(code, error.Message, $"known code {code} listed");
        }
    }

    [TestMethod]
    public void Plan_NameOf36Utf16Units_IsAccepted()
    {
        string name = new('n', 36);

        var planned = GptLayout.Plan(64 * MiB, [new GptPartitionRequest(name, 0, "8300")]);

        Assert.AreEqual(name, planned[0].Name);
    }

    [TestMethod]
    [DataRow(37, DisplayName = "37 ASCII characters")]
    [DataRow(19, DisplayName = "19 characters outside the BMP, 38 UTF-16 units")]
    public void Plan_NameLongerThan36Utf16Units_FailsWithUnsupportedLayout(int characters)
    {
        // U+1F600 takes two UTF-16 code units, so 19 of them overflow the field though they are only 19 characters.
        string name = characters == 37 ? new string('n', 37) : string.Concat(Enumerable.Repeat("\U0001F600", characters));

        var error = Assert.ThrowsExactly<DibException>(() =>
            GptLayout.Plan(64 * MiB, [new GptPartitionRequest(name, 0, "8300")]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains("36", error.Message);
    }

    [TestMethod]
    public void Plan_NoPartitions_ReturnsEmpty()
    {
        Assert.IsEmpty(GptLayout.Plan(64 * MiB, []));
    }
}
