using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class MbrWriterTests
{
    private const long MiB = 1024 * 1024;
    private const long DiskBytes = 64 * MiB;
    private const int SectorSize = MbrLayout.SectorSize;

    // Where the table lives in sector 0 (UEFI spec table 5-1), restated here so the tests do not trust the writer's constants.
    private const int BootCodeSize = 440;
    private const int DiskSignatureOffset = 440;
    private const int ReservedOffset = 444;
    private const int PartitionRecordsOffset = 446;
    private const int PartitionRecordSize = 16;
    private const int SignatureOffset = 510;

    // Fields of one partition record (UEFI spec table 5-2).
    private const int BootIndicatorOffset = 0;
    private const int StartingChsOffset = 1;
    private const int OsTypeOffset = 4;
    private const int EndingChsOffset = 5;
    private const int StartingLbaOffset = 8;
    private const int SizeInLbaOffset = 12;
    private const int ChsSize = 3;

    // The fixed geometry the writer promises for CHS fields.
    private const int Heads = 255;
    private const int SectorsPerTrack = 63;

    private const byte Filler = 0xCC;

    private string tempDirectory = null!;

    [TestInitialize]
    public void CreateTempDirectory()
    {
        tempDirectory = Path.Combine(Path.GetTempPath(), $"dib-mbr-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempDirectory);
    }

    [TestCleanup]
    public void DeleteTempDirectory() => Directory.Delete(tempDirectory, recursive: true);

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_TwoPartitions_SfdiskReadsBackEveryField()
    {
        string image = CreateSparseImage(DiskBytes);
        const uint signature = 0x8BADF00D;
        var partitions = Primaries(DiskBytes, (16 * MiB, 0x0C, true), (47 * MiB, 0x83, false));

        MbrWriter.Write(image, signature, partitions);

        AssertSfdiskReadsBack(image, signature, partitions);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_FourPartitionsTwoBootableRandomSignature_SfdiskReadsBackEveryField()
    {
        string image = CreateSparseImage(DiskBytes);
        uint signature = MbrWriter.NewDiskSignature();
        var partitions = Primaries(DiskBytes, (8 * MiB, 0xEF, true), (8 * MiB, 0x82, false), (6 * MiB, 0x8E, false), (41 * MiB, 0x83, true));

        MbrWriter.Write(image, signature, partitions);

        AssertSfdiskReadsBack(image, signature, partitions);
        HostTool.Run("sfdisk", "fdisk", "--verify", image);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_TwoPartitions_PartxAgreesOnStartsSizesAndTypes()
    {
        string image = CreateSparseImage(DiskBytes);
        var partitions = Primaries(DiskBytes, (3 * MiB, 0x0C, true), (60 * MiB, 0x83, false));

        MbrWriter.Write(image, MbrWriter.NewDiskSignature(), partitions);

        string[] lines = HostTool.Run("partx", "util-linux", "-g", "-o", "NR,START,SECTORS,TYPE", image)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.HasCount(partitions.Count, lines);
        for (int i = 0; i < partitions.Count; i++)
        {
            string[] columns = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual((i + 1).ToString(CultureInfo.InvariantCulture), columns[0], $"partx NR of line {i + 1}");
            Assert.AreEqual(partitions[i].StartSector, long.Parse(columns[1], CultureInfo.InvariantCulture), $"partx START of partition {i + 1}");
            Assert.AreEqual(partitions[i].SectorCount, long.Parse(columns[2], CultureInfo.InvariantCulture), $"partx SECTORS of partition {i + 1}");
            Assert.AreEqual($"0x{partitions[i].Type:x}", columns[3], $"partx TYPE of partition {i + 1}");
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_SameLayoutAsSfdisk_WritesIdenticalTableBytes()
    {
        const uint signature = 0x0000ABCD;
        var partitions = Primaries(DiskBytes, (16 * MiB, 0x0C, true), (47 * MiB, 0x83, false));
        string ours = CreateSparseImage(DiskBytes);
        string theirs = CreateSparseImage(DiskBytes);
        string script =
            $"label: dos\nlabel-id: 0x{signature:x8}\n" +
            $"start={partitions[0].StartSector}, size={partitions[0].SectorCount}, type={partitions[0].Type:x}, bootable\n" +
            $"start={partitions[1].StartSector}, size={partitions[1].SectorCount}, type={partitions[1].Type:x}\n";

        MbrWriter.Write(ours, signature, partitions);
        HostTool.RunWithInput("sfdisk", "fdisk", script, "--quiet", "--no-reread", "--no-tell-kernel", "--wipe", "never", theirs);

        CollectionAssert.AreEqual(ReadSector0(theirs)[DiskSignatureOffset..], ReadSector0(ours)[DiskSignatureOffset..],
            "bytes 440..511 written by MbrWriter and by sfdisk for the same layout");
    }

    [TestMethod]
    public void Write_BootCodeAlreadyInPlace_KeepsEveryByteOutsideTheTable()
    {
        string image = CreateSparseImage(DiskBytes);
        byte[] pattern = new byte[MiB];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)(i * 7 + 3);
        }

        using (var stream = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            stream.Write(pattern);
        }

        var partitions = Primaries(DiskBytes, (63 * MiB, 0x83, true));

        MbrWriter.Write(image, 0x12345678, partitions);

        byte[] written = new byte[MiB];
        using (var stream = new FileStream(image, FileMode.Open, FileAccess.Read))
        {
            stream.ReadExactly(written);
        }

        CollectionAssert.AreEqual(pattern[..BootCodeSize], written[..BootCodeSize], "boot code, bytes 0..439");
        CollectionAssert.AreEqual(pattern[SectorSize..], written[SectorSize..], "bytes after sector 0");
        byte[] expectedSector = pattern[..SectorSize];
        MbrWriter.WriteSector(expectedSector, 0x12345678, partitions);
        CollectionAssert.AreEqual(expectedSector, written[..SectorSize], "sector 0");
        Assert.AreEqual(DiskBytes, new FileInfo(image).Length, "image length");
    }

    [TestMethod]
    public void WriteSector_TwoPartitions_FillsEveryFieldAtItsMbrOffset()
    {
        byte[] sector = FilledSector();
        var partitions = new[]
        {
            new MbrPartition(2048, 4096, 0x0C, Bootable: true),
            new MbrPartition(6144, 0x01020304, 0x83, Bootable: false),
        };

        MbrWriter.WriteSector(sector, 0xA1B2C3D4, partitions);

        Assert.IsTrue(sector[..BootCodeSize].All(b => b == Filler), "boot code bytes 0..439 untouched");
        Assert.AreEqual(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(DiskSignatureOffset)), "disk signature");
        Assert.AreEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(sector.AsSpan(ReservedOffset)), "reserved bytes 444..445");
        Assert.AreEqual(0x55, sector[SignatureOffset], "boot signature byte 510");
        Assert.AreEqual(0xAA, sector[SignatureOffset + 1], "boot signature byte 511");
        for (int i = 0; i < partitions.Length; i++)
        {
            byte[] record = Record(sector, i);
            Assert.AreEqual(partitions[i].Bootable ? 0x80 : 0x00, record[BootIndicatorOffset], $"status of partition {i + 1}");
            Assert.AreEqual(partitions[i].Type, record[OsTypeOffset], $"type of partition {i + 1}");
            Assert.AreEqual((uint)partitions[i].StartSector, BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(StartingLbaOffset)), $"LBA start of partition {i + 1}");
            Assert.AreEqual((uint)partitions[i].SectorCount, BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(SizeInLbaOffset)), $"sector count of partition {i + 1}");
        }

        Assert.IsTrue(Record(sector, 2).Concat(Record(sector, 3)).All(b => b == 0), "unused records 3 and 4 are zero");
    }

    [TestMethod]
    public void WriteSector_SmallPartitions_ChsMatchesFormula()
    {
        byte[] sector = FilledSector();
        var partitions = new[]
        {
            new MbrPartition(2048, 2048, 0x83, Bootable: false),
            // Ends in cylinder 300, so the cylinder's bits 8-9 must show in the sector byte.
            new MbrPartition(4096, Heads * SectorsPerTrack * 300, 0x83, Bootable: false),
        };

        MbrWriter.WriteSector(sector, 1, partitions);

        for (int i = 0; i < partitions.Length; i++)
        {
            long first = partitions[i].StartSector;
            long last = first + partitions[i].SectorCount - 1;
            CollectionAssert.AreEqual(ExpectedChs(first), Record(sector, i)[StartingChsOffset..(StartingChsOffset + ChsSize)], $"first CHS of partition {i + 1}");
            CollectionAssert.AreEqual(ExpectedChs(last), Record(sector, i)[EndingChsOffset..(EndingChsOffset + ChsSize)], $"last CHS of partition {i + 1}");
        }

        // The same values by hand, in case ExpectedChs and the writer share a mistake.
        CollectionAssert.AreEqual(new byte[] { 0x20, 0x21, 0x00 }, Record(sector, 0)[StartingChsOffset..(StartingChsOffset + ChsSize)], "LBA 2048 = C0 H32 S33");
        CollectionAssert.AreEqual(new byte[] { 0x41, 0x01, 0x00 }, Record(sector, 0)[EndingChsOffset..(EndingChsOffset + ChsSize)], "LBA 4095 = C0 H65 S1");
        CollectionAssert.AreEqual(new byte[] { 0x41, 0x41, 0x2C }, Record(sector, 1)[EndingChsOffset..(EndingChsOffset + ChsSize)], "LBA 4823595 = C300 H65 S1");
    }

    [TestMethod]
    [DataRow(16_434_495L, (byte)0x00, (byte)0xC1, (byte)0xFF, DisplayName = "first sector of cylinder 1023")]
    [DataRow(16_450_559L, (byte)0xFE, (byte)0xFF, (byte)0xFF, DisplayName = "last sector of cylinder 1023")]
    [DataRow(16_450_560L, (byte)0xFE, (byte)0xFF, (byte)0xFF, DisplayName = "first sector of cylinder 1024")]
    [DataRow(41_943_040L, (byte)0xFE, (byte)0xFF, (byte)0xFF, DisplayName = "20 GiB")]
    [DataRow(4_294_967_295L, (byte)0xFE, (byte)0xFF, (byte)0xFF, DisplayName = "last 32-bit LBA")]
    public void WriteSector_PartitionAroundCylinder1023_ChsIsExactUpTo1023ThenFeFfFf(long lba, byte head, byte sectorByte, byte cylinderByte)
    {
        byte[] sector = FilledSector();

        MbrWriter.WriteSector(sector, 1, [new MbrPartition(lba, 1, 0x83, Bootable: false)]);

        byte[] expected = [head, sectorByte, cylinderByte];
        CollectionAssert.AreEqual(expected, Record(sector, 0)[StartingChsOffset..(StartingChsOffset + ChsSize)], "first CHS");
        CollectionAssert.AreEqual(expected, Record(sector, 0)[EndingChsOffset..(EndingChsOffset + ChsSize)], "last CHS");
    }

    [TestMethod]
    public void WriteSector_PartitionFromCylinder0PastCylinder1023_OnlyLastChsIsFeFfFf()
    {
        byte[] sector = FilledSector();

        MbrWriter.WriteSector(sector, 1, [new MbrPartition(2048, 16L * 1024 * 1024 * 1024 / SectorSize, 0x83, Bootable: false)]);

        CollectionAssert.AreEqual(ExpectedChs(2048), Record(sector, 0)[StartingChsOffset..(StartingChsOffset + ChsSize)], "first CHS");
        CollectionAssert.AreEqual(new byte[] { 0xFE, 0xFF, 0xFF }, Record(sector, 0)[EndingChsOffset..(EndingChsOffset + ChsSize)], "last CHS");
    }

    [TestMethod]
    public void WriteSector_PartitionEndingAtLast32BitLba_IsAccepted()
    {
        byte[] sector = FilledSector();
        long count = MbrLayout.AddressableSectors - 2048;

        MbrWriter.WriteSector(sector, 1, [new MbrPartition(2048, count, 0x83, Bootable: false)]);

        Assert.AreEqual((uint)count, BinaryPrimitives.ReadUInt32LittleEndian(Record(sector, 0).AsSpan(SizeInLbaOffset)));
    }

    [TestMethod]
    public void WriteSector_FivePartitions_FailsWithPartitionsDoNotFit()
    {
        var partitions = Enumerable.Range(0, 5).Select(i => new MbrPartition(2048 + i * 2048L, 2048, 0x83, Bootable: false)).ToArray();

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.WriteSector(FilledSector(), 1, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void WriteSector_OverlappingPartitionsListedOutOfOrder_FailsWithPartitionsDoNotFit()
    {
        var partitions = new[]
        {
            new MbrPartition(8192, 2048, 0x83, Bootable: false),
            new MbrPartition(2048, 6145, 0x83, Bootable: false),
        };

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.WriteSector(FilledSector(), 1, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void WriteSector_AdjacentPartitionsListedOutOfOrder_AreAccepted()
    {
        byte[] sector = FilledSector();

        MbrWriter.WriteSector(sector, 1, [new MbrPartition(8192, 2048, 0x83, false), new MbrPartition(2048, 6144, 0x83, false)]);

        Assert.AreEqual(8192u, BinaryPrimitives.ReadUInt32LittleEndian(Record(sector, 0).AsSpan(StartingLbaOffset)), "records keep list order");
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1L)]
    public void WriteSector_SectorCountNotPositive_FailsWithPartitionsDoNotFit(long count)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrWriter.WriteSector(FilledSector(), 1, [new MbrPartition(2048, count, 0x83, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-2048L)]
    public void WriteSector_StartOnOrBeforeTheMbrSector_FailsWithPartitionsDoNotFit(long start)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrWriter.WriteSector(FilledSector(), 1, [new MbrPartition(start, 2048, 0x83, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    [DataRow(4_294_967_296L, 1L, DisplayName = "start is 2^32")]
    [DataRow(2048L, 4_294_965_249L, DisplayName = "last sector is 2^32")]
    [DataRow(2048L, long.MaxValue, DisplayName = "count near long.MaxValue")]
    [DataRow(long.MaxValue, long.MaxValue, DisplayName = "start and count near long.MaxValue")]
    public void WriteSector_PartitionPast32BitLba_FailsWithPartitionsDoNotFit(long start, long count)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrWriter.WriteSector(FilledSector(), 1, [new MbrPartition(start, count, 0x83, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void WriteSector_TypeZero_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            MbrWriter.WriteSector(FilledSector(), 1, [new MbrPartition(2048, 2048, 0x00, Bootable: false)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }

    [TestMethod]
    [DataRow(511)]
    [DataRow(4096)]
    public void WriteSector_SpanNot512Bytes_ThrowsArgumentException(int length)
    {
        Assert.ThrowsExactly<ArgumentException>(() => MbrWriter.WriteSector(new byte[length], 1, []));
    }

    [TestMethod]
    public void Write_PartitionPastEndOfImage_FailsWithPartitionsDoNotFitAndLeavesImageUnchanged()
    {
        string image = CreateSparseImage(DiskBytes);
        var partitions = Primaries(2 * DiskBytes, (127 * MiB, 0x83, false));

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.Write(image, 1, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.IsTrue(ReadSector0(image).All(b => b == 0), "sector 0 is still zero");
    }

    [TestMethod]
    public void Write_ImageShorterThanOneSector_FailsWithPartitionsDoNotFit()
    {
        string image = CreateSparseImage(SectorSize - 1);

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.Write(image, 1, []));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.AreEqual(SectorSize - 1, new FileInfo(image).Length, "image length");
    }

    [TestMethod]
    public void Write_ImageDoesNotExist_ThrowsFileNotFoundAndCreatesNothing()
    {
        string image = Path.Combine(tempDirectory, "missing.raw");

        Assert.ThrowsExactly<FileNotFoundException>(() => MbrWriter.Write(image, 1, []));

        Assert.IsFalse(File.Exists(image));
    }

    [TestMethod]
    public void NewDiskSignature_ManyCalls_NeverZeroAndNotAllTheSame()
    {
        uint[] signatures = Enumerable.Range(0, 1000).Select(_ => MbrWriter.NewDiskSignature()).ToArray();

        Assert.IsFalse(signatures.Contains(0u), "a zero signature");
        Assert.IsGreaterThan(1, signatures.Distinct().Count(), "distinct signatures");
    }

    /// <summary>Primary partitions of whole-MiB sizes, placed one after the other from 1 MiB as the build places them.</summary>
    private static IReadOnlyList<MbrPartition> Primaries(long diskBytes, params (long Size, byte Type, bool Bootable)[] partitions) =>
        [.. MbrLayout.Place(diskBytes, MiB, [.. partitions.Select((p, i) => new MbrPartitionRequest($"p{i + 1}", p.Size, p.Type, p.Bootable, Primary: true))])
            .Partitions.Select(p => new MbrPartition(p.StartSector, p.SectorCount, p.Type, p.Bootable))];

    private static void AssertSfdiskReadsBack(string image, uint signature, IReadOnlyList<MbrPartition> partitions)
    {
        using var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image));
        var table = json.RootElement.GetProperty("partitiontable");
        Assert.AreEqual("dos", table.GetProperty("label").GetString(), "label");
        Assert.AreEqual($"0x{signature:x8}", table.GetProperty("id").GetString(), "id");
        Assert.AreEqual(SectorSize, table.GetProperty("sectorsize").GetInt32(), "sectorsize");

        var read = table.GetProperty("partitions").EnumerateArray().ToArray();
        Assert.HasCount(partitions.Count, read);
        for (int i = 0; i < partitions.Count; i++)
        {
            Assert.AreEqual(partitions[i].StartSector, read[i].GetProperty("start").GetInt64(), $"start of partition {i + 1}");
            Assert.AreEqual(partitions[i].SectorCount, read[i].GetProperty("size").GetInt64(), $"size of partition {i + 1}");
            Assert.AreEqual(partitions[i].Type.ToString("x", CultureInfo.InvariantCulture), read[i].GetProperty("type").GetString(), $"type of partition {i + 1}");

            // sfdisk leaves the property out for partitions that are not bootable.
            bool bootable = read[i].TryGetProperty("bootable", out var flag) && flag.GetBoolean();
            Assert.AreEqual(partitions[i].Bootable, bootable, $"bootable flag of partition {i + 1}");
        }
    }

    /// <summary>CHS of an LBA for 255 heads and 63 sectors per track, written independently of the writer.</summary>
    private static byte[] ExpectedChs(long lba)
    {
        long cylinder = lba / (Heads * SectorsPerTrack);
        long head = lba / SectorsPerTrack % Heads;
        long sectorNumber = lba % SectorsPerTrack + 1;
        Assert.IsLessThanOrEqualTo(1023L, cylinder, "ExpectedChs only covers cylinders 0..1023");
        return [(byte)head, (byte)(sectorNumber + (cylinder / 256 * 64)), (byte)(cylinder % 256)];
    }

    private static byte[] Record(byte[] sector, int index) =>
        sector[(PartitionRecordsOffset + index * PartitionRecordSize)..(PartitionRecordsOffset + (index + 1) * PartitionRecordSize)];

    private static byte[] FilledSector()
    {
        byte[] sector = new byte[SectorSize];
        Array.Fill(sector, Filler);
        return sector;
    }

    private string CreateSparseImage(long length)
    {
        string path = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.raw");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(length);
        return path;
    }

    private static byte[] ReadSector0(string image)
    {
        byte[] sector = new byte[SectorSize];
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Read);
        stream.ReadExactly(sector);
        return sector;
    }
}
