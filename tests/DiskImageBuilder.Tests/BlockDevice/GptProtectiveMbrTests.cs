using System.Buffers.Binary;
using DiskImageBuilder.BlockDevice;

namespace DiskImageBuilder.Tests.BlockDevice;

/// <summary>The protective MBR that <see cref="GptWriter"/> puts in sector 0 (UEFI specification tables 5-3 and 5-4).</summary>
[TestClass]
public sealed class GptProtectiveMbrTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private const long TiB = 1024 * GiB;
    private const int SectorSize = 512;

    // Restated from the specification so the tests do not trust the writer's constants.
    private const int BootCodeSize = 440;
    private const int PartitionRecordsOffset = 446;
    private const int PartitionRecordSize = 16;
    private const int GptEndSectors = 33;

    private static readonly Guid DiskGuid = new("0D15C0DE-1234-4321-ABCD-0123456789AB");

    private string tempDirectory = null!;

    [TestInitialize]
    public void CreateTempDirectory()
    {
        tempDirectory = Path.Combine(Path.GetTempPath(), $"dib-pmbr-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempDirectory);
    }

    [TestCleanup]
    public void DeleteTempDirectory() => Directory.Delete(tempDirectory, recursive: true);

    [TestMethod]
    public void Write_256MiBDisk_ProtectiveRecordHasEveryFieldOfUefiTable5_4()
    {
        byte[] disk = new byte[256 * MiB];
        Array.Fill(disk, (byte)0xCC, 0, SectorSize);

        GptWriter.Write(disk, DiskGuid, []);

        Assert.AreEqual(0u, BinaryPrimitives.ReadUInt32LittleEndian(disk.AsSpan(440)), "UniqueMBRDiskSignature is zero");
        Assert.AreEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(disk.AsSpan(444)), "Unknown bytes 444..445 are zero");
        byte[] record = disk[PartitionRecordsOffset..(PartitionRecordsOffset + PartitionRecordSize)];
        Assert.AreEqual(0x00, record[0], "BootIndicator");
        CollectionAssert.AreEqual(new byte[] { 0x00, 0x02, 0x00 }, record[1..4], "StartingCHS 0x000200");
        Assert.AreEqual(0xEE, record[4], "OSType");
        // LBA 524287 with 255 heads and 63 sectors: cylinder 32, head 162, sector 2.
        CollectionAssert.AreEqual(new byte[] { 0xA2, 0x02, 0x20 }, record[5..8], "EndingCHS of the last LBA");
        Assert.AreEqual(1u, BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(8)), "StartingLBA");
        Assert.AreEqual(524_287u, BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(12)), "SizeInLBA, the disk less sector 0");
        Assert.IsTrue(disk[(PartitionRecordsOffset + PartitionRecordSize)..510].All(b => b == 0), "records 2..4 are zero");
        Assert.AreEqual(0x55, disk[510], "signature byte 510");
        Assert.AreEqual(0xAA, disk[511], "signature byte 511");
        Assert.IsTrue(disk[..BootCodeSize].All(b => b == 0xCC), "boot code untouched");
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    [DataRow(256 * MiB, DisplayName = "256 MiB")]
    [DataRow(8032 * MiB, DisplayName = "8032 MiB, last LBA in cylinder 1023")]
    [DataRow(8033 * MiB, DisplayName = "8033 MiB, last LBA past cylinder 1023: EndingCHS 0xFFFFFF")]
    [DataRow(2 * TiB, DisplayName = "2 TiB, SizeInLBA exactly 0xFFFFFFFF")]
    [DataRow(3 * TiB, DisplayName = "3 TiB, SizeInLBA capped at 0xFFFFFFFF")]
    public void Write_EmptyTable_SameBytesAsSgdiskForTheSameDiskSize(long diskBytes)
    {
        string ours = CreateSparseImage(diskBytes);
        string theirs = CreateSparseImage(diskBytes);

        GptWriter.Write(ours, DiskGuid, []);
        HostTool.Run("sgdisk", "gdisk", "-o", "-U", DiskGuid.ToString("D"), theirs);

        CollectionAssert.AreEqual(ReadRange(theirs, BootCodeSize, SectorSize - BootCodeSize), ReadRange(ours, BootCodeSize, SectorSize - BootCodeSize),
            "protective MBR, bytes 440..511");
        CollectionAssert.AreEqual(ReadRange(theirs, SectorSize, 33 * SectorSize), ReadRange(ours, SectorSize, 33 * SectorSize),
            "primary GPT, LBA 1..33");
        CollectionAssert.AreEqual(ReadRange(theirs, diskBytes - GptEndSectors * SectorSize, GptEndSectors * SectorSize),
            ReadRange(ours, diskBytes - GptEndSectors * SectorSize, GptEndSectors * SectorSize), "backup GPT, the last 33 LBAs");
    }

    private static byte[] ReadRange(string image, long offset, int length)
    {
        byte[] bytes = new byte[length];
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Read);
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private string CreateSparseImage(long length)
    {
        string path = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.raw");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(length);
        return path;
    }
}
