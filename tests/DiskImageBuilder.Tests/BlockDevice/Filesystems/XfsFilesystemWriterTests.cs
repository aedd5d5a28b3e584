using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Filesystems;

[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class XfsFilesystemWriterTests
{
    private const long RegionBytes = 300 * FilesystemTestDisk.MiB;
    private const string Uuid = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928";

    [TestMethod]
    public async Task Write_Tree_XfsDbReadsItBackFromTheRegionOnly()
    {
        using var disk = new FilesystemTestDisk(RegionBytes);
        var tmp = Path.Combine(disk.Source, "tmp");
        Directory.CreateDirectory(tmp);
        File.SetUnixFileMode(tmp, (UnixFileMode)Convert.ToInt32("1777", 8));
        File.WriteAllText(Path.Combine(disk.Source, "a:b"), "colon");
        HostTool.Run("ln", "coreutils", Path.Combine(disk.Source, "f"), Path.Combine(disk.Source, "hard"));

        await disk.WriteAsync(disk.Request(FilesystemType.Xfs, "var", Uuid));

        var probe = disk.Probe();
        Assert.AreEqual("xfs", probe["TYPE"]);
        Assert.AreEqual("var", probe["LABEL"]);
        Assert.AreEqual(Uuid, probe["UUID"]);
        disk.AssertOnlyRegionWritten();
        var region = disk.CopyRegion();
        var listing = XfsDb(region, "ls /");
        foreach (var name in new[] { " f (good)", " link (good)", " dir (good)", " empty (good)", " tmp (good)", " a:b (good)", " hard (good)" })
            StringAssert.Contains(listing, name);
        StringAssert.Contains(XfsDb(region, "path /f", "dblock 0", "type text", "print"),
            "68 65 6c 6c 6f 20 66 72 6f 6d 20 74 68 65 20 73"); // "hello from the s"
        StringAssert.Contains(XfsDb(region, "path /f", "print core.size"), $"core.size = {FilesystemTestDisk.FileContent.Length}");
        StringAssert.Contains(XfsDb(region, "path /hard", "dblock 0", "type text", "print"),
            "68 65 6c 6c 6f 20 66 72 6f 6d 20 74 68 65 20 73", "a hard link becomes a copy with the same content");
        var secret = XfsDb(region, "path /dir/sub/private", "print core.mode core.uid core.gid");
        StringAssert.Contains(secret, "core.mode = 0100600");
        StringAssert.Contains(secret, "core.uid = 1234");
        StringAssert.Contains(XfsDb(region, "path /link", "print core.mode"), "core.mode = 0120");
        StringAssert.Contains(XfsDb(region, "path /tmp", "print core.mode"), "core.mode = 041777");
        HostTool.Run("xfs_repair", "xfsprogs", "-n", region);
    }

    [TestMethod]
    [DataRow("xattr")]
    [DataRow("space")]
    public async Task Write_TreeThePrototypeCannotExpress_FailsNamingThePath(string kind)
    {
        using var disk = new FilesystemTestDisk(RegionBytes);
        string culprit;
        switch (kind)
        {
            case "xattr":
                culprit = "/f (security.capability)";
                HostTool.Run("setcap", "libcap2-bin", "cap_net_raw+ep", Path.Combine(disk.Source, "f"));
                break;
            default:
                culprit = "/a name";
                File.WriteAllText(Path.Combine(disk.Source, "a name"), "x");
                break;
        }

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Xfs, "var", null)));

        Assert.AreEqual(ErrorCodes.FilesystemContentUnsupported, error.Code);
        StringAssert.Contains(error.Message, culprit);
        StringAssert.Contains(error.Message, "Use ext4 or btrfs");
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_RegionBelowXfsMinimum_FailsTooSmall()
    {
        using var disk = new FilesystemTestDisk(64 * FilesystemTestDisk.MiB);

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Xfs, "var", null)));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code);
        StringAssert.Contains(error.Message, "It needs at least 300 MiB");
        disk.AssertOnlyRegionWritten();
    }

    [TestMethod]
    public async Task Write_TreeLargerThanRegion_FailsTooSmall()
    {
        using var disk = new FilesystemTestDisk(RegionBytes);
        var big = new byte[64 * FilesystemTestDisk.MiB];
        Random.Shared.NextBytes(big);
        var blob = Path.Combine(disk.Folder, "blob");
        File.WriteAllBytes(blob, big);
        for (var i = 0; i < 6; i++)
            File.Copy(blob, Path.Combine(disk.Source, $"big{i}"));

        var error = await Assert.ThrowsExactlyAsync<DibException>(() => disk.WriteAsync(disk.Request(FilesystemType.Xfs, "var", null)));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code, error.Message);
        disk.AssertOnlyRegionWritten();
    }

    private static string XfsDb(string image, params string[] commands) =>
        HostTool.Run("xfs_db", "xfsprogs", ["-r", .. commands.SelectMany(c => new[] { "-c", c }), image]);
}
