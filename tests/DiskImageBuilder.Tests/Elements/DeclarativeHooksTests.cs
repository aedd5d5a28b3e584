using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class DeclarativeHooksTests
{
    private static readonly Dictionary<string, string> Debian = new() { ["DISTRO_NAME"] = "debian", ["DIB_RELEASE"] = "bookworm" };

    private static TempElementTree TreeWithMaps()
    {
        var tree = new TempElementTree();
        tree.AddFile("app", ServiceMap.FileName, "httpd:\n  default: httpd\n  debian: apache2\n");
        tree.AddFile("app", PkgMap.FileName, """{ "distro": { "debian": { "editor": "vim-debian" } }, "default": { "editor": "vim" } }""");
        tree.AddElement(DeclarativeHooks.ServiceMapElement);
        tree.AddElement(DeclarativeHooks.PkgMapElement);
        return tree;
    }

    [TestMethod]
    public void Write_WithSvcMapAndPkgMapElements_WritesBothTablesForDistroName()
    {
        using var tree = TreeWithMaps();
        var hooks = Path.Combine(tree.Root, "hooks");

        DeclarativeHooks.Write(hooks, tree.Set("svc-map", "pkg-map", "app"), Debian);

        Assert.AreEqual("apache2\n", File.ReadAllText(Path.Combine(hooks, ServiceMapFiles.Folder, "httpd")));
        Assert.AreEqual("vim-debian\n", File.ReadAllText(Path.Combine(hooks, PkgMapFiles.Folder, "app", "editor")));
    }

    [TestMethod]
    public void Write_WithoutTheToolElements_WritesNothing()
    {
        using var tree = TreeWithMaps();
        var hooks = Path.Combine(tree.Root, "hooks");

        DeclarativeHooks.Write(hooks, tree.Set("app"), Debian);

        Assert.IsFalse(Directory.Exists(Path.Combine(hooks, ServiceMapFiles.Folder)));
        Assert.IsFalse(Directory.Exists(Path.Combine(hooks, PkgMapFiles.Folder)));
    }

    [TestMethod]
    public void Write_EmptyDistroName_CountsAsUnset()
    {
        using var tree = TreeWithMaps();
        var hooks = Path.Combine(tree.Root, "hooks");

        DeclarativeHooks.Write(hooks, tree.Set("svc-map", "pkg-map", "app"), new Dictionary<string, string> { ["DISTRO_NAME"] = "" });

        Assert.AreEqual("httpd\n", File.ReadAllText(Path.Combine(hooks, ServiceMapFiles.Folder, "httpd")));
        Assert.AreEqual("vim\n", File.ReadAllText(Path.Combine(hooks, PkgMapFiles.Folder, "app", "editor")));
    }

    [TestMethod]
    public void Write_MalformedSvcMap_FailsWithCodeFileAndLine()
    {
        using var tree = TreeWithMaps();
        var bad = tree.AddFile("broken", ServiceMap.FileName, "ok:\n  default: ok\nbroken: just-a-name\n");

        var error = Assert.ThrowsExactly<DibException>(() =>
            DeclarativeHooks.Write(Path.Combine(tree.Root, "hooks"), tree.Set("svc-map", "app", "broken"), Debian));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(bad, error.File);
        Assert.AreEqual(3, error.Line);
    }
}
