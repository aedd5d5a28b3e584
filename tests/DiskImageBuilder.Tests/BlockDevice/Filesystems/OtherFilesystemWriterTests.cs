using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Filesystems;

[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class VfatFilesystemWriterTests
{
    [TestMethod]
    [DataRow(8L, "FAT12")]
    [DataRow(32L, "FAT16")]
    [DataRow(260L, "FAT32")]
    public async Task Write_Tree_MtoolsReadItBackInTheRegionOnly(long mib, string version)
    {
        using var disk = new FilesystemTestDisk(mib * FilesystemTestDisk.MiB, withSymlink: false);

        await disk.WriteAsync(disk.Request(FilesystemType.Vfat, "ESP", "1234-abcd"));

        var probe = disk.Probe();
        Assert.AreEqual("vfat", probe["TYPE"]);
        Assert.AreEqual("ESP", probe["LABEL"]);
        Assert.AreEqual("1234-ABCD", probe["UUID"]);
        Assert.AreEqual(version, probe["VERSION"]);
        var image = $"{disk.Disk}@@{FilesystemTestDisk.RegionOffset}";
        Assert.AreEqual(FilesystemTestDisk.FileContent, Mtools("mtype", "-i", image, "::/f"));
        Assert.AreEqual(FilesystemTestDisk.PrivateContent, Mtools("mtype", "-i", image, "::/dir/sub/private"));
        StringAssert.Contains(Mtools("mdir", "-i", image, "::/"), "empty");
        disk.AssertOnlyRegionWritten();
        HostTool.Run("fsck.vfat", "dosfstools", "-n", disk.CopyRegion());
    }

    [TestMethod]
    public async Task Write_TreeWithSymlink_FailsNamingIt()
    {
        using var disk = new FilesystemTestDisk(32 * FilesystemTestDisk.MiB);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Vfat, "ESP", null)));

        Assert.AreEqual(ErrorCodes.FilesystemContentUnsupported, error.Code);
        StringAssert.Contains(error.Message, "/link");
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_BadVolumeId_FailsBeforeWriting()
    {
        using var disk = new FilesystemTestDisk(32 * FilesystemTestDisk.MiB, withSymlink: false);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() =>
            disk.WriteAsync(disk.Request(FilesystemType.Vfat, "ESP", "0f7c1a3e-5b2d-4c8e-9a6f-2d3e4f5a6b7c")));

        Assert.AreEqual(ErrorCodes.FilesystemBadUuid, error.Code);
        disk.AssertOnlyRegionWritten();
        Assert.IsFalse(File.ReadAllBytes(disk.CopyRegion()).Any(b => b != 0), "Nothing may be written for a bad volume id.");
    }

    [TestMethod]
    public async Task Write_TreeLargerThanRegion_FailsTooSmall()
    {
        using var disk = new FilesystemTestDisk(4 * FilesystemTestDisk.MiB, withSymlink: false);
        File.WriteAllBytes(Path.Combine(disk.Source, "big"), new byte[6 * FilesystemTestDisk.MiB]);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Vfat, "ESP", null)));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code, error.Message);
        disk.AssertOnlyRegionWritten();
    }

    private static string Mtools(string tool, params string[] arguments)
    {
        Environment.SetEnvironmentVariable("MTOOLS_SKIP_CHECK", "1");
        return HostTool.Run(tool, "mtools", arguments);
    }
}

[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class SwapFilesystemWriterTests
{
    private const string Uuid = "3b1f6c2a-7d4e-4f5a-8b9c-0d1e2f3a4b5c";

    [TestMethod]
    public async Task Write_LabelAndUuid_BlkidFindsSwapInTheRegionOnly()
    {
        using var disk = new FilesystemTestDisk(64 * FilesystemTestDisk.MiB);

        await disk.WriteAsync(disk.Request(FilesystemType.Swap, "swap1", Uuid, source: null));

        var probe = disk.Probe();
        Assert.AreEqual("swap", probe["TYPE"]);
        Assert.AreEqual("swap1", probe["LABEL"]);
        Assert.AreEqual(Uuid, probe["UUID"]);
        disk.AssertOnlyRegionWritten();
    }
}

[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class BtrfsFilesystemWriterTests
{
    private const string Uuid = "5d2c8e1f-3a4b-4c6d-9e8f-1a2b3c4d5e6f";

    [TestMethod]
    public async Task Write_Tree_BtrfsRestoreReadsItBackFromTheRegionOnly()
    {
        using var disk = new FilesystemTestDisk(160 * FilesystemTestDisk.MiB);

        await disk.WriteAsync(disk.Request(FilesystemType.Btrfs, "data", Uuid));

        var probe = disk.Probe();
        Assert.AreEqual("btrfs", probe["TYPE"]);
        Assert.AreEqual("data", probe["LABEL"]);
        Assert.AreEqual(Uuid, probe["UUID"]);
        disk.AssertOnlyRegionWritten();
        var restored = Path.Combine(disk.Folder, "restored");
        Directory.CreateDirectory(restored);
        HostTool.Run("btrfs", "btrfs-progs", "restore", "-m", "-S", disk.CopyRegion(), restored);
        Assert.AreEqual(FilesystemTestDisk.FileContent, File.ReadAllText(Path.Combine(restored, "f")));
        Assert.AreEqual("f", new FileInfo(Path.Combine(restored, "link")).LinkTarget);
        Assert.IsTrue(Directory.Exists(Path.Combine(restored, "empty")));
        var secret = Path.Combine(restored, "dir", "sub", "private");
        Assert.AreEqual(FilesystemTestDisk.PrivateContent, File.ReadAllText(secret));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        StringAssert.StartsWith(HostTool.Run("stat", "coreutils", "-c", "%u", secret), "1234");
    }

    [TestMethod]
    public async Task Write_TreeLargerThanRegion_FailsTooSmallWithTheSizeNeeded()
    {
        using var disk = new FilesystemTestDisk(120 * FilesystemTestDisk.MiB);
        var big = new byte[150 * FilesystemTestDisk.MiB];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(Path.Combine(disk.Source, "big"), big);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Btrfs, "data", null)));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code, error.Message);
        StringAssert.Contains(error.Message, "It needs at least");
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_Cancelled_LeavesNoTemporaryFile()
    {
        using var disk = new FilesystemTestDisk(160 * FilesystemTestDisk.MiB);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => disk.WriteAsync(disk.Request(FilesystemType.Btrfs, "data", null), cancel.Token));

        disk.AssertNoTemporaryFiles();
    }
}
