using DiskImageBuilder.BlockDevice.Config;
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

    private static string Debugfs(string device, string command) =>
        HostTool.Run("debugfs", "e2fsprogs", "-R", command, device);
}
