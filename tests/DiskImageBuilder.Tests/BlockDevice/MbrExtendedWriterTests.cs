using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

/// <summary>MBR tables with logical partitions, read back by sfdisk, partx and fdisk.</summary>
[TestClass]
public sealed class MbrExtendedWriterTests
{
    private const long MiB = 1024 * 1024;
    private const long DiskBytes = 256 * MiB;
    private const int SectorSize = 512;
    private const byte Linux = 0x83;

    // Restated from the specification so the tests do not trust the writer's constants.
    private const int DiskSignatureOffset = 440;
    private const int PartitionRecordsOffset = 446;
    private const int StartingLbaOffset = 8;
    private const int SizeInLbaOffset = 12;
    private const int OsTypeOffset = 4;

    private string tempDirectory = null!;

    [TestInitialize]
    public void CreateTempDirectory()
    {
        tempDirectory = Path.Combine(Path.GetTempPath(), $"dib-mbr-ext-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempDirectory);
    }

    [TestCleanup]
    public void DeleteTempDirectory() => Directory.Delete(tempDirectory, recursive: true);

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_OnlyPrimaries_SameSector0AsTheFourEntryWriterAndToolsAgree()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB,
        [
            Primary("esp", 16 * MiB, 0xEF, bootable: true),
            Primary("swap", 8 * MiB, 0x82),
            Primary("root", 200 * MiB),
        ]);
        string ours = CreateImage();
        string old = CreateImage();

        MbrWriter.Write(ours, 0x0BADCAFE, plan);
        MbrWriter.Write(old, 0x0BADCAFE, plan.Partitions.Select(p => new MbrPartition(p.StartSector, p.SectorCount, p.Type, p.Bootable)).ToList());

        CollectionAssert.AreEqual(File.ReadAllBytes(old), File.ReadAllBytes(ours), "the whole image");
        AssertToolsReadBack(ours, 0x0BADCAFE, plan);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_OnePrimaryThreeLogicals_SfdiskPartxAndFdiskSeePartitions1And5To7()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB,
        [
            Primary("boot", 32 * MiB, bootable: true),
            Logical("var", 64 * MiB),
            Logical("swap", 16 * MiB, 0x82),
            Logical("root", 100 * MiB),
        ]);
        string image = CreateImage();

        MbrWriter.Write(image, 0x12345678, plan);

        CollectionAssert.AreEqual(new[] { 1, 2, 5, 6, 7 }, AssertToolsReadBack(image, 0x12345678, plan));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_ThreePrimariesTwoLogicalsAlignedTo4MiB_ToolsAgreeAndExtendedIsEntry4()
    {
        var plan = MbrLayout.Place(DiskBytes, 4 * MiB,
        [
            Primary("esp", 8 * MiB, 0xEF),
            Primary("boot", 12 * MiB),
            Primary("swap", 4 * MiB, 0x82),
            Logical("var", 40 * MiB),
            Logical("root", 180 * MiB),
        ]);
        string image = CreateImage();

        MbrWriter.Write(image, 0xCAFEF00D, plan);

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5, 6 }, AssertToolsReadBack(image, 0xCAFEF00D, plan));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_BootFlagOnALogicalPartition_SfdiskShowsItOnThatPartitionOnly()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB,
        [
            Primary("esp", 16 * MiB, 0xEF),
            Logical("boot", 16 * MiB, bootable: true),
            Logical("root", 64 * MiB),
        ]);
        string image = CreateImage();

        MbrWriter.Write(image, 1, plan);

        var bootable = ReadSfdisk(image).Where(p => p.Bootable).Select(p => p.Number).ToArray();
        CollectionAssert.AreEqual(new[] { 5 }, bootable);
        AssertToolsReadBack(image, 1, plan);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_PrimaryAfterTheLogicals_ToolsSeeItAsPartition3AfterTheExtendedPartition()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB,
        [
            Primary("boot", 16 * MiB),
            Logical("var", 16 * MiB),
            Logical("home", 16 * MiB),
            Primary("root", 64 * MiB),
        ]);
        string image = CreateImage();

        MbrWriter.Write(image, 7, plan);

        // Logical partitions are numbered from 5 whatever their place, so fdisk's remark that 3 lies after 5 and 6
        // on the disk has no fix short of refusing the layout (diskimage-builder refuses it; Linux reads it fine).
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 5, 6 },
            AssertToolsReadBack(image, 7, plan, expectedFdiskRemark: "Partition table entries are not in disk order."));
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void Write_SameLayoutAsSfdisk_WritesIdenticalMbrAndBootRecordBytes()
    {
        const uint signature = 0x0000ABCD;
        var plan = MbrLayout.Place(DiskBytes, MiB,
        [
            Primary("boot", 16 * MiB, 0x0C, bootable: true),
            Logical("var", 24 * MiB, bootable: true),
            Logical("swap", 8 * MiB, 0x82),
            Logical("root", 100 * MiB),
        ]);
        string ours = CreateImage();
        string theirs = CreateImage();
        var lines = new List<string> { "label: dos", $"label-id: 0x{signature:x8}" };
        var boot = plan.Partitions[0];
        lines.Add($"start={boot.StartSector}, size={boot.SectorCount}, type={boot.Type:x}, bootable");
        lines.Add($"start={plan.ExtendedStartSector}, size={plan.ExtendedSectorCount}, type=f");
        lines.AddRange(plan.Partitions.Skip(1).Select(p =>
            $"start={p.StartSector}, size={p.SectorCount}, type={p.Type:x}{(p.Bootable ? ", bootable" : "")}"));

        MbrWriter.Write(ours, signature, plan);
        HostTool.RunWithInput("sfdisk", "fdisk", string.Join('\n', lines) + "\n",
            "--quiet", "--no-reread", "--no-tell-kernel", "--wipe", "never", theirs);

        CollectionAssert.AreEqual(ReadSector(theirs, 0)[DiskSignatureOffset..], ReadSector(ours, 0)[DiskSignatureOffset..], "bytes 440..511 of the MBR");
        foreach (var logical in plan.Partitions.Skip(1))
        {
            long ebr = logical.BootRecordSector!.Value;
            CollectionAssert.AreEqual(ReadSector(theirs, ebr), ReadSector(ours, ebr), $"EBR of '{logical.Name}' at sector {ebr}");
        }
    }

    [TestMethod]
    public void Write_BootRecordChain_FirstEntryCountsFromTheEbrAndLinkFromTheExtendedStart()
    {
        var plan = MbrLayout.Place(DiskBytes, 4 * MiB,
            [Primary("boot", 8 * MiB), Logical("a", 8 * MiB), Logical("b", 16 * MiB), Logical("c", 8 * MiB)]);
        string image = CreateImage();

        MbrWriter.Write(image, 1, plan);

        // boot 4..12 MiB; EBR 12, a 16..24; EBR 24, b 28..44; EBR 44, c 48..56. One MiB is 2048 sectors.
        byte[] first = ReadSector(image, 12 * 2048);
        Assert.AreEqual(Linux, Record(first, 0)[OsTypeOffset]);
        Assert.AreEqual(4u * 2048, Lba(first, 0, StartingLbaOffset), "'a' starts 4 MiB after its EBR");
        Assert.AreEqual(8u * 2048, Lba(first, 0, SizeInLbaOffset));
        Assert.AreEqual(0x05, Record(first, 1)[OsTypeOffset], "link type");
        Assert.AreEqual(12u * 2048, Lba(first, 1, StartingLbaOffset), "the second EBR is 12 MiB into the extended partition");
        Assert.AreEqual(20u * 2048, Lba(first, 1, SizeInLbaOffset), "the link covers the next EBR's unit and 'b'");
        byte[] second = ReadSector(image, 24 * 2048);
        Assert.AreEqual(4u * 2048, Lba(second, 0, StartingLbaOffset), "'b' starts 4 MiB after its own EBR");
        Assert.AreEqual(32u * 2048, Lba(second, 1, StartingLbaOffset), "the third EBR is 32 MiB into the extended partition, not 20 MiB after the second");
        Assert.AreEqual(12u * 2048, Lba(second, 1, SizeInLbaOffset));
        byte[] last = ReadSector(image, 44 * 2048);
        Assert.IsTrue(Record(last, 1).All(b => b == 0), "the last EBR has no link");
        Assert.AreEqual(0x55, last[510], "EBR signature byte 510");
        Assert.AreEqual(0xAA, last[511], "EBR signature byte 511");
        Assert.AreEqual(0x0F, Record(ReadSector(image, 0), 1)[OsTypeOffset], "the extended partition is type 0x0F");
    }

    [TestMethod]
    public void Write_DataAroundTheTables_EveryByteOutsideSector0TableAndTheEbrsIsKept()
    {
        var plan = MbrLayout.Place(64 * MiB, MiB, [Primary("boot", 4 * MiB), Logical("a", 4 * MiB), Logical("b", 4 * MiB)]);
        string image = Path.Combine(tempDirectory, "pattern.raw");
        byte[] pattern = new byte[64 * MiB];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)(i * 7 + 3);
        }

        File.WriteAllBytes(image, pattern);

        MbrWriter.Write(image, 1, plan);

        byte[] written = File.ReadAllBytes(image);
        var changed = new HashSet<long>(plan.Partitions.Where(p => p.IsLogical).Select(p => p.BootRecordSector!.Value)) { 0 };
        for (long sector = 0; sector < pattern.Length / SectorSize; sector++)
        {
            int from = (int)(sector * SectorSize);
            int keptUpTo = sector == 0 ? DiskSignatureOffset : changed.Contains(sector) ? 0 : SectorSize;
            if (!pattern.AsSpan(from, keptUpTo).SequenceEqual(written.AsSpan(from, keptUpTo)))
            {
                Assert.Fail($"sector {sector} changed in bytes 0..{keptUpTo - 1}");
            }
        }
    }

    [TestMethod]
    public void Write_PlanLargerThanTheImage_FailsWithDib3003AndWritesNothing()
    {
        var plan = MbrLayout.Place(2 * DiskBytes, MiB, [Primary("boot", 4 * MiB), Logical("big", DiskBytes)]);
        string image = CreateImage();

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.Write(image, 1, plan));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.IsTrue(ReadSector(image, 0).All(b => b == 0), "sector 0 is still zero");
        Assert.IsTrue(ReadSector(image, plan.Partitions[1].BootRecordSector!.Value).All(b => b == 0), "no EBR written");
    }

    [TestMethod]
    public void Write_LogicalOutsideTheExtendedPartition_FailsWithDib3003()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB, [Primary("boot", 4 * MiB), Logical("a", 4 * MiB), Logical("b", 4 * MiB)]);
        var shrunk = plan with { ExtendedSectorCount = plan.ExtendedSectorCount - 2048 };

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.Write(CreateImage(), 1, shrunk));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.Contains("'b'", error.Message);
    }

    [TestMethod]
    public void Write_PrimaryInsideTheExtendedPartition_FailsWithDib3003()
    {
        var plan = MbrLayout.Place(DiskBytes, MiB, [Primary("boot", 4 * MiB), Logical("a", 4 * MiB), Primary("root", 4 * MiB)]);
        var grown = plan with { ExtendedSectorCount = plan.ExtendedSectorCount + 2048 };

        var error = Assert.ThrowsExactly<DibException>(() => MbrWriter.Write(CreateImage(), 1, grown));

        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
    }

    /// <summary>
    /// Checks the plan against sfdisk --json, partx and sfdisk --verify, and that fdisk -l remarks on nothing but
    /// <paramref name="expectedFdiskRemark"/>; returns the partition numbers the tools saw, in table order.
    /// </summary>
    private static int[] AssertToolsReadBack(string image, uint signature, MbrTablePlan plan, string? expectedFdiskRemark = null)
    {
        var expected = plan.Partitions.Select(p => new ToolPartition(p.Number, p.StartSector, p.SectorCount, p.Type, p.Bootable)).ToList();
        if (plan.ExtendedNumber is { } extended)
        {
            expected.Add(new ToolPartition(extended, plan.ExtendedStartSector!.Value, plan.ExtendedSectorCount!.Value, 0x0F, false));
        }

        expected.Sort((a, b) => a.Number.CompareTo(b.Number));

        using (var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image)))
        {
            var table = json.RootElement.GetProperty("partitiontable");
            Assert.AreEqual("dos", table.GetProperty("label").GetString(), "label");
            Assert.AreEqual($"0x{signature:x8}", table.GetProperty("id").GetString(), "id");
        }

        CollectionAssert.AreEqual(expected, ReadSfdisk(image), "sfdisk --json");
        CollectionAssert.AreEqual(expected.Select(p => p with { Bootable = false }).ToList(), ReadPartx(image), "partx --show --bytes");

        string verify = HostTool.Run("sfdisk", "fdisk", "--verify", image);
        Assert.Contains("No errors detected", verify);

        var (listing, warnings) = HostTool.RunForOutputAndError("fdisk", "fdisk", "-l", image);
        Assert.AreEqual("", warnings.Trim(), "fdisk -l standard error");

        // fdisk puts its remarks after the partition list, which ends with the last partition's line.
        string[] lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int lastPartition = Array.FindLastIndex(lines, l => l.StartsWith(image, StringComparison.Ordinal));
        string remarks = string.Join('\n', lines.Skip(lastPartition + 1));
        Assert.AreEqual(expectedFdiskRemark ?? "", remarks, "fdisk -l remarks after the partition list");
        return expected.Select(p => p.Number).ToArray();
    }

    private static List<ToolPartition> ReadSfdisk(string image)
    {
        using var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image));
        return json.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .Select(p => new ToolPartition(
                int.Parse(p.GetProperty("node").GetString()![image.Length..], CultureInfo.InvariantCulture),
                p.GetProperty("start").GetInt64(),
                p.GetProperty("size").GetInt64(),
                byte.Parse(p.GetProperty("type").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                // sfdisk leaves the property out for partitions that are not bootable.
                p.TryGetProperty("bootable", out var flag) && flag.GetBoolean()))
            .ToList();
    }

    /// <summary>partx has no boot flag column; its SIZE in bytes must be the sectors times 512.</summary>
    private static List<ToolPartition> ReadPartx(string image)
    {
        var lines = HostTool.Run("partx", "util-linux", "--show", "--bytes", "-g", "-o", "NR,START,SECTORS,SIZE,TYPE", image)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Select(line =>
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long sectors = long.Parse(columns[2], CultureInfo.InvariantCulture);
            Assert.AreEqual(sectors * SectorSize, long.Parse(columns[3], CultureInfo.InvariantCulture), $"partx SIZE in bytes of partition {columns[0]}");
            return new ToolPartition(
                int.Parse(columns[0], CultureInfo.InvariantCulture),
                long.Parse(columns[1], CultureInfo.InvariantCulture),
                sectors,
                byte.Parse(columns[4].Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                false);
        }).ToList();
    }

    private static MbrPartitionRequest Primary(string name, long size, byte type = Linux, bool bootable = false) =>
        new(name, size, type, bootable, Primary: true);

    private static MbrPartitionRequest Logical(string name, long size, byte type = Linux, bool bootable = false) =>
        new(name, size, type, bootable, Primary: false);

    private static byte[] Record(byte[] sector, int index) =>
        sector[(PartitionRecordsOffset + index * 16)..(PartitionRecordsOffset + (index + 1) * 16)];

    private static uint Lba(byte[] sector, int index, int offset) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Record(sector, index).AsSpan(offset));

    private string CreateImage()
    {
        string path = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.raw");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(DiskBytes);
        return path;
    }

    private static byte[] ReadSector(string image, long sector)
    {
        byte[] bytes = new byte[SectorSize];
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Read);
        stream.Position = sector * SectorSize;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private sealed record ToolPartition(int Number, long Start, long Sectors, byte Type, bool Bootable);
}
