using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class FstabTests
{
    [TestMethod]
    public void Write_TreeEtcFstabIsLinkToHostFile_FailsWithDIB5050AndLeavesTheHostFile()
    {
        var folder = Directory.CreateTempSubdirectory("dib-fstab-").FullName;
        try
        {
            var hostFile = Path.Combine(folder, "host-passwd");
            File.WriteAllText(hostFile, "root:x:0:0\n");
            var tree = Path.Combine(folder, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "etc"));
            File.CreateSymbolicLink(Path.Combine(tree, "etc", "fstab"), hostFile);

            var error = Assert.ThrowsExactly<DibException>(() => Fstab.Write(tree, ["LABEL=cloudimg-rootfs / ext4 defaults,errors=remount-ro 0 1"]));

            Assert.AreEqual(ErrorCodes.TreePathIsLink, error.Code);
            StringAssert.Contains(error.Message, Path.Combine(tree, "etc", "fstab"));
            Assert.AreEqual("root:x:0:0\n", File.ReadAllText(hostFile), "the host file is untouched");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Write_RealEtc_WritesTheRootLine()
    {
        var tree = Directory.CreateTempSubdirectory("dib-fstab-").FullName;
        try
        {
            Fstab.Write(tree, ["LABEL=cloudimg-rootfs / ext4 defaults,errors=remount-ro 0 1"]);

            StringAssert.Contains(File.ReadAllText(Path.Combine(tree, "etc", "fstab")), "LABEL=cloudimg-rootfs / ext4 defaults,errors=remount-ro 0 1");
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }
}
