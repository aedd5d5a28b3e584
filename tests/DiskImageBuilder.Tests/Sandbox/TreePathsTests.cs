using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Tests.Sandbox;

[TestClass]
public sealed class TreePathsTests
{
    [TestMethod]
    public void FirstUnsafeComponent_RealFoldersAndMissingOnes_IsNull()
    {
        var root = Directory.CreateTempSubdirectory("dib-tree-paths-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "var", "cache"));
            Assert.IsNull(TreePaths.FirstUnsafeComponent(root, "/var/cache/apt/archives"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Check_ComponentIsLinkOrFile_ThrowsDIB5050NamingPathAndTarget()
    {
        var root = Directory.CreateTempSubdirectory("dib-tree-paths-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(root, "var"), "/etc");
            File.WriteAllText(Path.Combine(root, "tmp"), "a file where a folder belongs");

            var link = Assert.ThrowsExactly<DibException>(() => TreePaths.Check(root, "var/cache/apt/archives", "mounts on"));
            var file = Assert.ThrowsExactly<DibException>(() => TreePaths.Check(root, "tmp/in_target.d", "mounts on"));

            Assert.AreEqual(ErrorCodes.TreePathIsLink, link.Code);
            StringAssert.Contains(link.Message, $"{root}/var in the image tree is a symbolic link to '/etc'");
            StringAssert.Contains(file.Message, $"{root}/tmp in the image tree is not a folder");
        }
        finally
        {
            File.Delete(Path.Combine(root, "var"));
            Directory.Delete(root, recursive: true);
        }
    }
}
