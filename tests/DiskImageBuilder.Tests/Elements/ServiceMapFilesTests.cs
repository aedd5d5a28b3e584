using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ServiceMapFilesTests
{
    [TestMethod]
    public void Write_OneFilePerServiceWithTheDistrosName()
    {
        using var tree = new TempElementTree();
        tree.AddFile("web", ServiceMap.FileName, "httpd:\n  default: httpd\n  debian: apache2\ncron:\n  redhat: crond\n");
        var hooks = Path.Combine(tree.Root, "hooks");

        ServiceMapFiles.Write(hooks, ServiceMap.Load(tree.Set("web")), "ubuntu");

        var dir = Path.Combine(hooks, ServiceMapFiles.Folder);
        CollectionAssert.AreEquivalent(new[] { "httpd", "cron" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
        Assert.AreEqual("apache2\n", File.ReadAllText(Path.Combine(dir, "httpd")));
        Assert.AreEqual("cron\n", File.ReadAllText(Path.Combine(dir, "cron")), "no entry for debian: the service keeps its name");
    }

    [TestMethod]
    public void Write_ReplacesAnEarlierTable()
    {
        using var tree = new TempElementTree();
        tree.AddFile("web", ServiceMap.FileName, "httpd:\n  default: httpd\n");
        var hooks = Path.Combine(tree.Root, "hooks");
        var stale = Path.Combine(hooks, ServiceMapFiles.Folder, "gone");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "x\n");

        ServiceMapFiles.Write(hooks, ServiceMap.Load(tree.Set("web")), "debian");

        Assert.IsFalse(File.Exists(stale));
        Assert.IsTrue(File.Exists(Path.Combine(hooks, ServiceMapFiles.Folder, "httpd")));
    }

    [TestMethod]
    public void Write_EmptyMap_WritesAnEmptyFolder()
    {
        using var tree = new TempElementTree();
        var hooks = Path.Combine(tree.Root, "hooks");

        ServiceMapFiles.Write(hooks, ServiceMap.Empty, "debian");

        Assert.IsEmpty(Directory.GetFileSystemEntries(Path.Combine(hooks, ServiceMapFiles.Folder)));
    }
}
