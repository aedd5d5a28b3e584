using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Filesystems;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Filesystems;

[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class ExtFilesystemWriterTests
{
    private const string Uuid = "0f7c1a3e-5b2d-4c8e-9a6f-2d3e4f5a6b7c";

    [TestMethod]
    [DataRow(FilesystemType.Ext2, "ext2")]
    [DataRow(FilesystemType.Ext3, "ext3")]
    [DataRow(FilesystemType.Ext4, "ext4")]
    public async Task Write_Tree_BlkidAndDebugfsReadItBackInTheRegionOnly(FilesystemType type, string blkidType)
    {
        using var disk = new FilesystemTestDisk(32 * FilesystemTestDisk.MiB);
        Directory.CreateDirectory(Path.Combine(disk.Source, "tmp"));
        File.SetUnixFileMode(Path.Combine(disk.Source, "tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));
        File.SetUnixFileMode(disk.Source, (UnixFileMode)Convert.ToInt32("0750", 8));

        await disk.WriteAsync(disk.Request(type, "rootfs", Uuid));

        var probe = disk.Probe();
        Assert.AreEqual(blkidType, probe["TYPE"]);
        Assert.AreEqual("rootfs", probe["LABEL"]);
        Assert.AreEqual(Uuid, probe["UUID"]);
        var device = $"{disk.Disk}?offset={FilesystemTestDisk.RegionOffset}";
        Assert.AreEqual(FilesystemTestDisk.FileContent, Debugfs(device, "cat /f"));
        var secret = Debugfs(device, "stat /dir/sub/private");
        StringAssert.Contains(secret, "User:  1234");
        StringAssert.Contains(secret, "Mode:  0600");
        StringAssert.Contains(Debugfs(device, "stat /link"), "Fast link dest: \"f\"");
        StringAssert.Contains(Debugfs(device, "stat /empty"), "Type: directory");
        StringAssert.Contains(Debugfs(device, "stat /tmp"), "Mode:  01777");
        StringAssert.Contains(Debugfs(device, "stat /"), "Mode:  0750");
        HostTool.Run("e2fsck", "e2fsprogs", "-fn", device);
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_NoSource_MakesEmptyFilesystemWithExtraOptions()
    {
        using var disk = new FilesystemTestDisk(16 * FilesystemTestDisk.MiB);

        await disk.WriteAsync(disk.Request(FilesystemType.Ext4, null, null, source: null, extra: ["-m", "0", "-E", "lazy_itable_init=1"]));

        var device = $"{disk.Disk}?offset={FilesystemTestDisk.RegionOffset}";
        var superblock = HostTool.Run("dumpe2fs", "e2fsprogs", "-h", device);
        StringAssert.Matches(superblock, new System.Text.RegularExpressions.Regex(@"Reserved block count:\s+0\n"));
        Assert.AreEqual("ext4", disk.Probe()["TYPE"]);
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_TreeLargerThanRegion_FailsTooSmall()
    {
        using var disk = new FilesystemTestDisk(2 * FilesystemTestDisk.MiB);
        File.WriteAllBytes(Path.Combine(disk.Source, "big"), Enumerable.Repeat((byte)7, 4 * (int)FilesystemTestDisk.MiB).ToArray());

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Ext4, "r", null)));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code, error.Message);
        StringAssert.Contains(error.Message, "It needs at least 5 MiB");
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_WithSourceDateEpoch_SameBytesAfterTheTreesChangeAndAccessTimesMoved()
    {
        using var disk = new FilesystemTestDisk(16 * FilesystemTestDisk.MiB);
        var request = disk.Request(FilesystemType.Ext4, "rootfs", Uuid) with
        {
            SourceDateEpoch = 1700000000,
            HashSeed = "5d2c7c1e-8a5b-4f0e-b1d7-3c6e2a9f4b10",
        };
        await disk.WriteAsync(request);
        var first = File.ReadAllBytes(disk.CopyRegion());

        // A later build's tree: same content, modes and modification times, but the host gave every inode a new change
        // time (chmod to the same mode) and reading the files moved their access times.
        await Task.Delay(1100);
        foreach (var path in Directory.EnumerateFileSystemEntries(disk.Source, "*", SearchOption.AllDirectories).Where(p => !new FileInfo(p).Attributes.HasFlag(FileAttributes.ReparsePoint)))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path));
            if (File.Exists(path))
                _ = File.ReadAllBytes(path);
        }
        await disk.WriteAsync(request);
        var second = File.ReadAllBytes(disk.CopyRegion());

        var device = $"{disk.Disk}?offset={FilesystemTestDisk.RegionOffset}";
        var stat = Debugfs(device, "stat /f");
        StringAssert.Contains(stat, " ctime: 0x6553f100:", "the change time is SOURCE_DATE_EPOCH, not the host's");
        StringAssert.Contains(stat, " atime: 0x6553f100:", "the access time is SOURCE_DATE_EPOCH");
        CollectionAssert.AreEqual(first, second, "two filesystems made from the same tree with the same epoch differ");
        HostTool.Run("e2fsck", "e2fsprogs", "-fn", device);
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public void UsedInodes_AreEachGroupsRangeLessItsFreeRanges_WithoutTheReservedOnesButTheRoot()
    {
        string[] dumpe2fs =
        [
            "Inode count:              48",
            "Inodes per group:         16",
            "Group 0: (Blocks 1-8192) csum 0x38b9",
            "  Free inodes: 14-16",
            "Group 1: (Blocks 8193-16383) csum 0xc19e",
            "  Free inodes: 17-18, 21, 24-32",
            "Group 2: (Blocks 16384-24575) csum 0x1234 [INODE_UNINIT]",
            "  Free inodes: 33-48",
        ];

        var used = ExtInodeTimes.UsedInodes(dumpe2fs).ToArray();

        CollectionAssert.AreEqual(new long[] { 2, 11, 12, 13, 19, 20, 22, 23 }, used);
    }

    private static string Debugfs(string device, string command) =>
        HostTool.Run("debugfs", "e2fsprogs", "-R", command, device);
}
