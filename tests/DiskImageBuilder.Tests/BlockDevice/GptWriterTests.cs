using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed partial class GptWriterTests
{
    private const long MiB = 1024 * 1024;
    private const long DiskBytes = 256 * MiB;
    private const int SectorSize = 512;
    private const long DiskSectors = DiskBytes / SectorSize;

    // The GPT as the UEFI specification lays it out (tables 5-5 and 5-6), restated so the tests do not trust the writer's constants.
    private const int EntryCount = 128;
    private const int EntrySize = 128;
    private const int EntryArraySectors = EntryCount * EntrySize / SectorSize;
    private const int HeaderSize = 92;
    private const int BootCodeSize = 440;

    // GPT header fields.
    private const int HeaderCrcOffset = 16;
    private const int MyLbaOffset = 24;
    private const int AlternateLbaOffset = 32;
    private const int FirstUsableLbaOffset = 40;
    private const int LastUsableLbaOffset = 48;
    private const int DiskGuidOffset = 56;
    private const int EntryLbaOffset = 72;
    private const int EntryCountOffset = 80;
    private const int EntrySizeOffset = 84;
    private const int EntryArrayCrcOffset = 88;

    // Partition entry fields.
    private const int TypeGuidOffset = 0;
    private const int UniqueGuidOffset = 16;
    private const int StartLbaOffset = 32;
    private const int EndLbaOffset = 40;
    private const int AttributesOffset = 48;
    private const int NameOffset = 56;
    private const int NameSize = 72;

    private const byte Filler = 0xCC;

    private static readonly Guid DiskGuid = new("5B0A2D5C-6E1F-4A7B-9C3D-2E4F6A8B0C1D");
    private static readonly Guid BiosGuid = new("A1A1A1A1-0000-4000-8000-000000000001");
    private static readonly Guid EspGuid = new("A1A1A1A1-0000-4000-8000-000000000002");
    private static readonly Guid RootGuid = new("A1A1A1A1-0000-4000-8000-000000000003");

    private string tempDirectory = null!;

    [TestInitialize]
    public void CreateTempDirectory()
    {
        tempDirectory = Path.Combine(Path.GetTempPath(), $"dib-gpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempDirectory);
    }

    [TestCleanup]
    public void DeleteTempDirectory() => Directory.Delete(tempDirectory, recursive: true);

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_BiosEspRoot_SgdiskVerifyFindsNoProblems()
    {
        string image = CreateSparseImage(DiskBytes);

        var partitions = PlanBiosEspRoot();

        GptWriter.Write(image, DiskGuid, partitions);

        AssertSgdiskVerifies(image, DiskSectors, partitions);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_BiosEspRoot_SgdiskPrintAndInfoReadBackEveryField()
    {
        string image = CreateSparseImage(DiskBytes);
        var partitions = PlanBiosEspRoot();

        GptWriter.Write(image, DiskGuid, partitions);

        string print = HostTool.Run("sgdisk", "gdisk", "-p", image);
        Assert.Contains($"Disk identifier (GUID): {Upper(DiskGuid)}\n", print);
        Assert.Contains("Partition table holds up to 128 entries\n", print);
        Assert.Contains("Main partition table begins at sector 2 and ends at sector 33\n", print);
        Assert.Contains($"First usable sector is 34, last usable sector is {DiskSectors - 34}\n", print);

        string[] codes = ["EF02", "EF00", "8300"];
        var rows = SgdiskRow().Matches(print);
        Assert.HasCount(partitions.Count, rows, $"partition rows in:\n{print}");
        for (int i = 0; i < partitions.Count; i++)
        {
            var row = rows[i].Groups;
            Assert.AreEqual(i + 1, int.Parse(row["number"].Value, CultureInfo.InvariantCulture), $"number of row {i + 1}");
            Assert.AreEqual(partitions[i].StartLba, long.Parse(row["start"].Value, CultureInfo.InvariantCulture), $"start of partition {i + 1}");
            Assert.AreEqual(partitions[i].LastLba, long.Parse(row["end"].Value, CultureInfo.InvariantCulture), $"end of partition {i + 1}");
            Assert.AreEqual(codes[i], row["code"].Value, $"code of partition {i + 1}");
            Assert.AreEqual(partitions[i].Name, row["name"].Value, $"name of partition {i + 1}");
        }

        for (int i = 0; i < partitions.Count; i++)
        {
            string info = HostTool.Run("sgdisk", "gdisk", "-i", (i + 1).ToString(CultureInfo.InvariantCulture), image);
            Assert.Contains($"Partition GUID code: {Upper(partitions[i].TypeGuid)} ", info, $"type of partition {i + 1}");
            Assert.Contains($"Partition unique GUID: {Upper(partitions[i].UniqueGuid)}\n", info, $"unique GUID of partition {i + 1}");
            Assert.Contains($"First sector: {partitions[i].StartLba} ", info, $"first sector of partition {i + 1}");
            Assert.Contains($"Last sector: {partitions[i].LastLba} ", info, $"last sector of partition {i + 1}");
            Assert.Contains($"Attribute flags: {partitions[i].Attributes:X16}\n", info, $"attributes of partition {i + 1}");
            Assert.Contains($"Partition name: '{partitions[i].Name}'\n", info, $"name of partition {i + 1}");
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_BiosEspRoot_SfdiskJsonReadsBackEveryField()
    {
        string image = CreateSparseImage(DiskBytes);
        var partitions = PlanBiosEspRoot();

        GptWriter.Write(image, DiskGuid, partitions);

        AssertSfdiskReadsBack(image, DiskGuid, DiskSectors, partitions);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_BiosEspRoot_PartxReadsBackEveryColumn()
    {
        string image = CreateSparseImage(DiskBytes);
        var partitions = PlanBiosEspRoot();

        GptWriter.Write(image, DiskGuid, partitions);

        string[] lines = HostTool.Run("partx", "util-linux", "-g", "-o", "NR,START,SECTORS,TYPE,UUID,NAME", image)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.HasCount(partitions.Count, lines);
        for (int i = 0; i < partitions.Count; i++)
        {
            string[] columns = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.HasCount(6, columns, $"partx line {i + 1}: {lines[i]}");
            Assert.AreEqual((i + 1).ToString(CultureInfo.InvariantCulture), columns[0], $"partx NR of line {i + 1}");
            Assert.AreEqual(partitions[i].StartLba, long.Parse(columns[1], CultureInfo.InvariantCulture), $"partx START of partition {i + 1}");
            Assert.AreEqual(partitions[i].SectorCount, long.Parse(columns[2], CultureInfo.InvariantCulture), $"partx SECTORS of partition {i + 1}");
            Assert.AreEqual(partitions[i].TypeGuid.ToString("D"), columns[3], $"partx TYPE of partition {i + 1}");
            Assert.AreEqual(partitions[i].UniqueGuid.ToString("D"), columns[4], $"partx UUID of partition {i + 1}");
            Assert.AreEqual(partitions[i].Name, columns[5], $"partx NAME of partition {i + 1}");
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    [DataRow(SectorSize + DiskGuidOffset, "Main header: ERROR", DisplayName = "primary header, a byte of the disk GUID")]
    [DataRow(2 * SectorSize + NameOffset, "Main partition table: ERROR", DisplayName = "primary entry array, a byte of the first name")]
    [DataRow(-(EntryArraySectors + 1) * SectorSize + NameOffset, "Backup partition table: ERROR", DisplayName = "backup entry array, a byte of the first name")]
    [DataRow(-SectorSize + DiskGuidOffset, "Backup header: ERROR", DisplayName = "backup header, a byte of the disk GUID")]
    public void Write_ThenOneByteCorrupted_SgdiskReportsTheBadCrc(int offset, string expectedComplaint)
    {
        string image = CreateSparseImage(DiskBytes);
        GptWriter.Write(image, DiskGuid, PlanBiosEspRoot());
        var (cleanOutput, cleanError) = HostTool.RunForOutputAndError("sgdisk", "gdisk", "-v", image);
        Assert.DoesNotContain("ERROR", cleanOutput + cleanError, "before the corruption");

        long position = offset >= 0 ? offset : DiskBytes + offset;
        using (var stream = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = position;
            int original = stream.ReadByte();
            stream.Position = position;
            stream.WriteByte((byte)(original ^ 0xFF));
        }

        var (output, error) = HostTool.RunForOutputAndError("sgdisk", "gdisk", "-v", image);
        Assert.Contains(expectedComplaint, error, $"sgdisk -v said:\n{output}{error}");
        Assert.Contains("One or more CRCs don't match", error, $"sgdisk -v said:\n{output}{error}");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_SameLayoutAsSgdisk_WritesIdenticalBytes()
    {
        var partitions = PlanBiosEspRoot();
        string ours = CreateSparseImage(DiskBytes);
        string theirs = CreateSparseImage(DiskBytes);
        var arguments = new List<string> { "-U", DiskGuid.ToString("D") };
        for (int i = 0; i < partitions.Count; i++)
        {
            var p = partitions[i];
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([
                "-n", $"{n}:{p.StartLba}:{p.LastLba}",
                "-t", $"{n}:{p.TypeGuid:D}",
                "-u", $"{n}:{p.UniqueGuid:D}",
                "-c", $"{n}:{p.Name}",
            ]);
            if (p.Attributes != 0)
            {
                arguments.AddRange(["-A", $"{n}:=:{p.Attributes:X}"]);
            }
        }

        arguments.Add(theirs);

        GptWriter.Write(ours, DiskGuid, partitions);
        HostTool.Run("sgdisk", "gdisk", [.. arguments]);

        byte[] oursBytes = ReadOwnedRegions(ours, DiskBytes);
        byte[] theirBytes = ReadOwnedRegions(theirs, DiskBytes);
        AssertBytesEqual(theirBytes, oursBytes,
            $"bytes 440..511, LBA 1..33 and the last 33 LBAs, written by GptWriter and by sgdisk {string.Join(' ', arguments)}");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_128Partitions_SgdiskVerifiesAndSfdiskReadsEveryOne()
    {
        string image = CreateSparseImage(DiskBytes);
        var requests = Enumerable.Range(1, 128).Select(i => new GptPartitionRequest($"p{i}", MiB, "8300")).ToArray();
        var partitions = GptLayout.Plan(DiskBytes, requests);

        GptWriter.Write(image, DiskGuid, partitions);

        AssertSgdiskVerifies(image, DiskSectors, partitions);
        AssertSfdiskReadsBack(image, DiskGuid, DiskSectors, partitions);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_UnicodeNameOf36UnitsAndTypeSpecificAttributeBits_SgdiskAndSfdiskReadThemBack()
    {
        string image = CreateSparseImage(DiskBytes);
        const string name = "Données-ü ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        Assert.AreEqual(36, name.Length, "the test name fills the field");
        const ulong attributes = GptPartitionAttributes.RequiredPartition | GptPartitionAttributes.LegacyBiosBootable | (1UL << 48) | (1UL << 60);
        var partitions = GptLayout.Plan(DiskBytes, [new GptPartitionRequest(name, 0, "8304", attributes, RootGuid)]);

        GptWriter.Write(image, DiskGuid, partitions);

        string info = HostTool.Run("sgdisk", "gdisk", "-i", "1", image);
        Assert.Contains($"Partition name: '{name}'\n", info);
        Assert.Contains("Attribute flags: 1001000000000005\n", info);
        Assert.Contains($"Partition GUID code: {Upper(GptPartitionType.LinuxRootX64)} ", info);
        using var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image));
        var read = json.RootElement.GetProperty("partitiontable").GetProperty("partitions")[0];
        Assert.AreEqual(name, read.GetProperty("name").GetString());
        Assert.AreEqual("RequiredPartition LegacyBIOSBootable GUID:48,60", read.GetProperty("attrs").GetString());
    }

    [TestMethod]
    public void Write_BootCodeAndGapAlreadyInPlace_KeepsEveryByteOutsideTheGpt()
    {
        const long diskBytes = 16 * MiB;
        string image = CreateSparseImage(diskBytes);
        byte[] pattern = new byte[diskBytes];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)(i * 7 + 3);
        }

        File.WriteAllBytes(image, pattern);
        var partitions = GptLayout.Plan(diskBytes, [new GptPartitionRequest("root", 0, "8300", UniqueGuid: RootGuid)]);

        GptWriter.Write(image, DiskGuid, partitions);

        byte[] written = File.ReadAllBytes(image);
        Assert.HasCount(pattern.Length, written, "image length");
        CollectionAssert.AreEqual(pattern[..BootCodeSize], written[..BootCodeSize], "boot code, bytes 0..439");
        long backupStart = diskBytes - (EntryArraySectors + 1) * SectorSize;
        CollectionAssert.AreEqual(pattern[(34 * SectorSize)..(int)backupStart], written[(34 * SectorSize)..(int)backupStart], "bytes between the primary and the backup GPT");

        // The regions the writer owns hold exactly what the in-memory writer puts there over the same bytes.
        byte[] expected = (byte[])pattern.Clone();
        GptWriter.Write(expected, DiskGuid, partitions);
        AssertBytesEqual(expected, written, "the whole image, against the in-memory writer");
    }

    [TestMethod]
    public void Write_ImageTooSmallForTwoGpts_FailsWithPartitionsDoNotFitAndLeavesImageUnchanged()
    {
        string image = CreateSparseImage(67 * SectorSize);

        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(image, DiskGuid, []));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains(image, error.Message);
        Assert.IsTrue(File.ReadAllBytes(image).All(b => b == 0), "the image is still zero");
    }

    [TestMethod]
    public void Write_PartitionPastTheImagesLastUsableLba_FailsWithPartitionsDoNotFitAndLeavesImageUnchanged()
    {
        string image = CreateSparseImage(64 * MiB);
        var partitions = GptLayout.Plan(128 * MiB, [new GptPartitionRequest("root", 0, "8300")]);

        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(image, DiskGuid, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("131038", error.Message, "the last usable LBA of the 64 MiB image");
        Assert.IsTrue(File.ReadAllBytes(image).All(b => b == 0), "the image is still zero");
    }

    [TestMethod]
    public void Write_ImageDoesNotExist_ThrowsFileNotFoundAndCreatesNothing()
    {
        string image = Path.Combine(tempDirectory, "missing.raw");

        Assert.ThrowsExactly<FileNotFoundException>(() => GptWriter.Write(image, DiskGuid, []));

        Assert.IsFalse(File.Exists(image));
    }

    [TestMethod]
    public void WriteSpan_PrimaryHeader_EveryFieldAtItsUefiOffset()
    {
        byte[] disk = FilledDisk(16 * MiB);
        long diskSectors = disk.Length / SectorSize;

        GptWriter.Write(disk, DiskGuid, PlanSmall(disk.Length));

        var header = Sector(disk, 1);
        CollectionAssert.AreEqual("EFI PART"u8.ToArray(), header[..8], "Signature");
        Assert.AreEqual(0x00010000u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)), "Revision 1.0");
        Assert.AreEqual((uint)HeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12)), "HeaderSize");
        Assert.AreEqual(0u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20)), "Reserved");
        Assert.AreEqual(1L, BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(MyLbaOffset)), "MyLBA");
        Assert.AreEqual(diskSectors - 1, BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(AlternateLbaOffset)), "AlternateLBA");
        Assert.AreEqual(34L, BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(FirstUsableLbaOffset)), "FirstUsableLBA");
        Assert.AreEqual(diskSectors - 34, BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(LastUsableLbaOffset)), "LastUsableLBA");
        CollectionAssert.AreEqual(
            new byte[] { 0x5C, 0x2D, 0x0A, 0x5B, 0x1F, 0x6E, 0x7B, 0x4A, 0x9C, 0x3D, 0x2E, 0x4F, 0x6A, 0x8B, 0x0C, 0x1D },
            header[DiskGuidOffset..(DiskGuidOffset + 16)], "DiskGUID 5B0A2D5C-6E1F-4A7B-9C3D-2E4F6A8B0C1D, first three fields little-endian");
        Assert.AreEqual(2L, BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(EntryLbaOffset)), "PartitionEntryLBA");
        Assert.AreEqual((uint)EntryCount, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(EntryCountOffset)), "NumberOfPartitionEntries");
        Assert.AreEqual((uint)EntrySize, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(EntrySizeOffset)), "SizeOfPartitionEntry");
        Assert.AreEqual(Crc(disk.AsSpan(2 * SectorSize, EntryCount * EntrySize)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(EntryArrayCrcOffset)), "PartitionEntryArrayCRC32");
        Assert.AreEqual(HeaderCrc(header), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(HeaderCrcOffset)), "HeaderCRC32, computed with the field zeroed");
        Assert.IsTrue(header[HeaderSize..].All(b => b == 0), "the rest of the header sector is zero");
    }

    [TestMethod]
    public void WriteSpan_BackupGpt_MirrorsPrimaryWithLbasSwappedAndItsOwnEntryArray()
    {
        byte[] disk = FilledDisk(16 * MiB);
        long diskSectors = disk.Length / SectorSize;

        GptWriter.Write(disk, DiskGuid, PlanSmall(disk.Length));

        var primary = Sector(disk, 1);
        var backup = Sector(disk, diskSectors - 1);
        long backupEntriesLba = diskSectors - 1 - EntryArraySectors;
        Assert.AreEqual(diskSectors - 1, BinaryPrimitives.ReadInt64LittleEndian(backup.AsSpan(MyLbaOffset)), "backup MyLBA");
        Assert.AreEqual(1L, BinaryPrimitives.ReadInt64LittleEndian(backup.AsSpan(AlternateLbaOffset)), "backup AlternateLBA");
        Assert.AreEqual(backupEntriesLba, BinaryPrimitives.ReadInt64LittleEndian(backup.AsSpan(EntryLbaOffset)), "backup PartitionEntryLBA");
        Assert.AreEqual(HeaderCrc(backup), BinaryPrimitives.ReadUInt32LittleEndian(backup.AsSpan(HeaderCrcOffset)), "backup HeaderCRC32");
        CollectionAssert.AreEqual(
            disk[(2 * SectorSize)..(34 * SectorSize)],
            disk[(int)(backupEntriesLba * SectorSize)..(int)((diskSectors - 1) * SectorSize)],
            "backup entry array equals the primary");

        // Every other header field is the same in both.
        foreach (int offset in new[] { 0, 8, 12, 20, FirstUsableLbaOffset, LastUsableLbaOffset, DiskGuidOffset, DiskGuidOffset + 8, EntryCountOffset, EntryArrayCrcOffset })
        {
            Assert.AreEqual(BinaryPrimitives.ReadUInt32LittleEndian(primary.AsSpan(offset)), BinaryPrimitives.ReadUInt32LittleEndian(backup.AsSpan(offset)), $"header bytes at {offset}");
        }

        Assert.IsTrue(backup[HeaderSize..].All(b => b == 0), "the rest of the backup header sector is zero");
    }

    [TestMethod]
    public void WriteSpan_Entries_EveryFieldAtItsUefiOffsetAndUnusedEntriesZero()
    {
        byte[] disk = FilledDisk(16 * MiB);
        var partitions = new[]
        {
            new GptPartition(2048, 2048, GptPartitionType.EfiSystem, EspGuid, "ESP", GptPartitionAttributes.LegacyBiosBootable),
            new GptPartition(4096, 8192, GptPartitionType.LinuxFilesystem, RootGuid, "root", 0),
        };

        GptWriter.Write(disk, DiskGuid, partitions);

        var esp = Entry(disk, 0);
        CollectionAssert.AreEqual(
            new byte[] { 0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11, 0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B },
            esp[TypeGuidOffset..(TypeGuidOffset + 16)], "type C12A7328-F81F-11D2-BA4B-00A0C93EC93B in EFI_GUID layout (UEFI spec appendix A)");
        for (int i = 0; i < partitions.Length; i++)
        {
            var entry = Entry(disk, i);
            Assert.AreEqual(partitions[i].TypeGuid, new Guid(entry.AsSpan(TypeGuidOffset, 16)), $"PartitionTypeGUID of entry {i + 1}");
            Assert.AreEqual(partitions[i].UniqueGuid, new Guid(entry.AsSpan(UniqueGuidOffset, 16)), $"UniquePartitionGUID of entry {i + 1}");
            Assert.AreEqual(partitions[i].StartLba, BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(StartLbaOffset)), $"StartingLBA of entry {i + 1}");
            Assert.AreEqual(partitions[i].StartLba + partitions[i].SectorCount - 1, BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(EndLbaOffset)), $"EndingLBA (inclusive) of entry {i + 1}");
            Assert.AreEqual(partitions[i].Attributes, BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(AttributesOffset)), $"Attributes of entry {i + 1}");
            byte[] expectedName = new byte[NameSize];
            Encoding.Unicode.GetBytes(partitions[i].Name).CopyTo(expectedName, 0);
            CollectionAssert.AreEqual(expectedName, entry[NameOffset..(NameOffset + NameSize)], $"PartitionName of entry {i + 1}, UTF-16LE and zero-padded");
        }

        Assert.IsTrue(disk[(2 * SectorSize + 2 * EntrySize)..(34 * SectorSize)].All(b => b == 0), "entries 3..128 are zero");
    }

    [TestMethod]
    public void WriteSpan_SameInputsTwice_IdenticalBytes()
    {
        byte[] first = new byte[16 * MiB];
        byte[] second = new byte[16 * MiB];
        var partitions = PlanSmall(first.Length);

        GptWriter.Write(first, DiskGuid, partitions);
        GptWriter.Write(second, DiskGuid, partitions);

        AssertBytesEqual(first, second, "the second disk against the first");
    }

    [TestMethod]
    public void WriteSpan_BootCodeInPlace_LeavesBytes0To439()
    {
        byte[] disk = FilledDisk(16 * MiB);

        GptWriter.Write(disk, DiskGuid, PlanSmall(disk.Length));

        Assert.IsTrue(disk[..BootCodeSize].All(b => b == Filler), "boot code bytes 0..439 untouched");
        Assert.AreEqual(0x55, disk[510], "boot signature byte 510");
        Assert.AreEqual(0xAA, disk[511], "boot signature byte 511");
    }

    [TestMethod]
    public void WriteSpan_129Partitions_FailsWithPartitionsDoNotFit()
    {
        var partitions = Enumerable.Range(0, 129)
            .Select(i => new GptPartition(2048 + i * 2048L, 2048, GptPartitionType.LinuxFilesystem, Guid.NewGuid(), $"p{i}", 0))
            .ToArray();

        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("129", error.Message);
    }

    [TestMethod]
    public void WriteSpan_OverlappingPartitionsListedOutOfOrder_FailsWithPartitionsDoNotFitAndWritesNothing()
    {
        byte[] disk = FilledDisk(16 * MiB);
        var partitions = new[]
        {
            new GptPartition(8192, 2048, GptPartitionType.LinuxFilesystem, RootGuid, "second", 0),
            new GptPartition(2048, 6145, GptPartitionType.EfiSystem, EspGuid, "first", 0),
        };

        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(disk, DiskGuid, partitions));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'second'", error.Message);
        Assert.Contains("'first'", error.Message);
        Assert.IsTrue(disk.All(b => b == Filler), "the disk is unchanged");
    }

    [TestMethod]
    public void WriteSpan_AdjacentPartitionsListedOutOfOrder_AreAcceptedInListOrder()
    {
        byte[] disk = FilledDisk(16 * MiB);

        GptWriter.Write(disk, DiskGuid,
        [
            new GptPartition(8192, 2048, GptPartitionType.LinuxFilesystem, RootGuid, "second", 0),
            new GptPartition(2048, 6144, GptPartitionType.EfiSystem, EspGuid, "first", 0),
        ]);

        Assert.AreEqual(8192L, BinaryPrimitives.ReadInt64LittleEndian(Entry(disk, 0).AsSpan(StartLbaOffset)), "entries keep list order");
    }

    [TestMethod]
    [DataRow(33L, 2048L, DisplayName = "starts in the primary entry array")]
    [DataRow(0L, 2048L, DisplayName = "starts on the protective MBR")]
    [DataRow(2048L, 0L, DisplayName = "no sectors")]
    [DataRow(2048L, -1L, DisplayName = "negative sectors")]
    [DataRow(2048L, 16L * 2048 - 2048 - 32, DisplayName = "last LBA one into the backup entry array")]
    [DataRow(2048L, long.MaxValue, DisplayName = "count near long.MaxValue")]
    [DataRow(long.MaxValue, 1L, DisplayName = "start near long.MaxValue")]
    public void WriteSpan_PartitionOutsideTheUsableLbas_FailsWithPartitionsDoNotFit(long start, long count)
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid,
            [new GptPartition(start, count, GptPartitionType.LinuxFilesystem, RootGuid, "root", 0)]));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void WriteSpan_PartitionFromFirstToLastUsableLba_IsAccepted()
    {
        byte[] disk = new byte[16 * MiB];
        long diskSectors = disk.Length / SectorSize;

        GptWriter.Write(disk, DiskGuid, [new GptPartition(34, diskSectors - 67, GptPartitionType.LinuxFilesystem, RootGuid, "root", 0)]);

        Assert.AreEqual(diskSectors - 34, BinaryPrimitives.ReadInt64LittleEndian(Entry(disk, 0).AsSpan(EndLbaOffset)));
    }

    [TestMethod]
    public void WriteSpan_NameLongerThan36Utf16Units_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid,
            [new GptPartition(2048, 2048, GptPartitionType.LinuxFilesystem, RootGuid, new string('n', 37), 0)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }

    [TestMethod]
    public void WriteSpan_AllZeroTypeGuid_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid,
            [new GptPartition(2048, 2048, Guid.Empty, RootGuid, "root", 0)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }

    [TestMethod]
    public void WriteSpan_AllZeroUniqueGuid_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid,
            [new GptPartition(2048, 2048, GptPartitionType.LinuxFilesystem, Guid.Empty, "root", 0)]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }

    [TestMethod]
    public void WriteSpan_TwoPartitionsWithOneUniqueGuid_FailsWithUnsupportedLayoutNamingBoth()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], DiskGuid,
        [
            new GptPartition(2048, 2048, GptPartitionType.EfiSystem, RootGuid, "ESP", 0),
            new GptPartition(4096, 2048, GptPartitionType.LinuxFilesystem, RootGuid, "root", 0),
        ]));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains("Partition 2", error.Message);
        Assert.Contains("partition 1", error.Message);
    }

    [TestMethod]
    public void WriteSpan_AllZeroDiskGuid_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[16 * MiB], Guid.Empty, []));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(SectorSize)]
    [DataRow(67 * SectorSize)]
    [DataRow(68 * SectorSize - 1)]
    public void WriteSpan_DiskSmallerThan68Sectors_FailsWithPartitionsDoNotFit(int length)
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptWriter.Write(new byte[length], DiskGuid, []));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    [TestMethod]
    public void WriteSpan_DiskOf68Sectors_HoldsBothGptsAndOneUsableSector()
    {
        byte[] disk = new byte[68 * SectorSize];

        GptWriter.Write(disk, DiskGuid, [new GptPartition(34, 1, GptPartitionType.LinuxFilesystem, RootGuid, "tiny", 0)]);

        Assert.AreEqual(34L, BinaryPrimitives.ReadInt64LittleEndian(Sector(disk, 1).AsSpan(LastUsableLbaOffset)), "LastUsableLBA");
        Assert.AreEqual(1L, BinaryPrimitives.ReadInt64LittleEndian(Sector(disk, 67).AsSpan(AlternateLbaOffset)), "backup header in the last sector");
    }

    [TestMethod]
    public void NewGuid_ManyCalls_DistinctRandomVersion4()
    {
        Guid[] guids = Enumerable.Range(0, 1000).Select(_ => GptWriter.NewGuid()).ToArray();

        Assert.HasCount(1000, guids.Distinct());
        Assert.IsTrue(guids.All(g => g.Version == 4), "version 4 (random)");
    }

    private static IReadOnlyList<GptPartition> PlanBiosEspRoot() => GptLayout.Plan(DiskBytes,
    [
        new GptPartitionRequest("BIOS", MiB, "EF02", GptPartitionAttributes.LegacyBiosBootable, BiosGuid),
        new GptPartitionRequest("ESP", 64 * MiB, "EF00", UniqueGuid: EspGuid),
        new GptPartitionRequest("root", 0, "8300", UniqueGuid: RootGuid),
    ]);

    private static IReadOnlyList<GptPartition> PlanSmall(long diskBytes) => GptLayout.Plan(diskBytes,
    [
        new GptPartitionRequest("BIOS", MiB, "EF02", GptPartitionAttributes.LegacyBiosBootable, BiosGuid),
        new GptPartitionRequest("root", 0, "8300", UniqueGuid: RootGuid),
    ]);

    /// <summary>
    /// sgdisk -v finds no problem and counts exactly the free sectors the partitions leave. The count matters:
    /// when neither header is valid, sgdisk starts an empty table in memory and verifies that instead, so
    /// "No problems found" alone would pass for a broken GPT.
    /// </summary>
    private static void AssertSgdiskVerifies(string image, long diskSectors, IReadOnlyList<GptPartition> partitions)
    {
        long usableSectors = diskSectors - 34 - 33;
        long freeSectors = usableSectors - partitions.Sum(p => p.SectorCount);

        var (output, error) = HostTool.RunForOutputAndError("sgdisk", "gdisk", "-v", image);

        Assert.Contains($"No problems found. {freeSectors} free sectors", output, $"sgdisk -v said:\n{output}{error}");
        foreach (string complaint in new[] { "Caution", "Warning", "Problem", "ERROR", "corrupt", "Creating new GPT" })
        {
            Assert.DoesNotContain(complaint, output + error, $"sgdisk -v said:\n{output}{error}");
        }
    }

    private static void AssertSfdiskReadsBack(string image, Guid diskGuid, long diskSectors, IReadOnlyList<GptPartition> partitions)
    {
        using var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image));
        var table = json.RootElement.GetProperty("partitiontable");
        Assert.AreEqual("gpt", table.GetProperty("label").GetString(), "label");
        Assert.AreEqual(Upper(diskGuid), table.GetProperty("id").GetString(), "id");
        Assert.AreEqual(34L, table.GetProperty("firstlba").GetInt64(), "firstlba");
        Assert.AreEqual(diskSectors - 34, table.GetProperty("lastlba").GetInt64(), "lastlba");
        Assert.AreEqual(SectorSize, table.GetProperty("sectorsize").GetInt32(), "sectorsize");

        var read = table.GetProperty("partitions").EnumerateArray().ToArray();
        Assert.HasCount(partitions.Count, read);
        for (int i = 0; i < partitions.Count; i++)
        {
            Assert.AreEqual(partitions[i].StartLba, read[i].GetProperty("start").GetInt64(), $"start of partition {i + 1}");
            Assert.AreEqual(partitions[i].SectorCount, read[i].GetProperty("size").GetInt64(), $"size of partition {i + 1}");
            Assert.AreEqual(Upper(partitions[i].TypeGuid), read[i].GetProperty("type").GetString(), $"type of partition {i + 1}");
            Assert.AreEqual(Upper(partitions[i].UniqueGuid), read[i].GetProperty("uuid").GetString(), $"uuid of partition {i + 1}");
            Assert.AreEqual(partitions[i].Name, read[i].GetProperty("name").GetString(), $"name of partition {i + 1}");

            // sfdisk leaves attrs out when no bit is set.
            string attrs = read[i].TryGetProperty("attrs", out var value) ? value.GetString()! : "";
            Assert.AreEqual(partitions[i].Attributes == GptPartitionAttributes.LegacyBiosBootable ? "LegacyBIOSBootable" : "", attrs, $"attrs of partition {i + 1}");
        }
    }

    /// <summary>Bytes 440..511, LBA 1..33 and the last 33 LBAs: everything the writer owns.</summary>
    private static byte[] ReadOwnedRegions(string image, long diskBytes)
    {
        const int primaryEnd = 34 * SectorSize;
        const int backupLength = (EntryArraySectors + 1) * SectorSize;
        byte[] regions = new byte[primaryEnd - BootCodeSize + backupLength];
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Read);
        stream.Position = BootCodeSize;
        stream.ReadExactly(regions, 0, primaryEnd - BootCodeSize);
        stream.Position = diskBytes - backupLength;
        stream.ReadExactly(regions, primaryEnd - BootCodeSize, backupLength);
        return regions;
    }

    /// <summary>Compares whole images quickly and reports the first byte that differs, which CollectionAssert would not.</summary>
    private static void AssertBytesEqual(byte[] expected, byte[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, $"length of {what}");
        int index = expected.AsSpan().CommonPrefixLength(actual);
        if (index < expected.Length)
        {
            Assert.Fail($"{what}: byte {index} is 0x{actual[index]:X2}, expected 0x{expected[index]:X2}.");
        }
    }

    /// <summary>CRC-32 from its definition, bit by bit, so the header checks do not trust the writer's table.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static uint HeaderCrc(byte[] header)
    {
        byte[] copy = header[..HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(HeaderCrcOffset), 0);
        return Crc(copy);
    }

    private static string Upper(Guid guid) => guid.ToString("D").ToUpperInvariant();

    private static byte[] Sector(byte[] disk, long lba) => disk[(int)(lba * SectorSize)..(int)((lba + 1) * SectorSize)];

    private static byte[] Entry(byte[] disk, int index) =>
        disk[(2 * SectorSize + index * EntrySize)..(2 * SectorSize + (index + 1) * EntrySize)];

    private static byte[] FilledDisk(long length)
    {
        byte[] disk = new byte[length];
        Array.Fill(disk, Filler);
        return disk;
    }

    private string CreateSparseImage(long length)
    {
        string path = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.raw");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(length);
        return path;
    }

    /// <summary>A partition row of sgdisk -p: number, start, end, size with its unit, code, name.</summary>
    [GeneratedRegex(@"^\s*(?<number>\d+)\s+(?<start>\d+)\s+(?<end>\d+)\s+\S+ \S+\s+(?<code>[0-9A-F]{4})\s+(?<name>.*)$", RegexOptions.Multiline)]
    private static partial Regex SgdiskRow();
}
