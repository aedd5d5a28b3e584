using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class PkgMapFilesTests
{
    private const string Json = """
        {
          "release": { "debian": { "trixie": { "editor": "vim-trixie" } } },
          "distro": { "debian": { "editor": "vim-debian" } },
          "family": { "debian": { "dropped": "" }, "redhat": { "rh-only": "x" } },
          "default": { "editor": "vim", "tools": "tool-a tool-b" }
        }
        """;

    private static string Table(TempElementTree tree, string element) =>
        Path.Combine(tree.Root, "hooks", PkgMapFiles.Folder, element);

    [TestMethod]
    public void Write_EveryMappedNameOfTheElement_ResolvedForTheDistroAndRelease()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", PkgMap.FileName, Json);

        PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("e"), "debian", "bookworm");

        var dir = Table(tree, "e");
        Assert.AreEqual("vim-debian\n", File.ReadAllText(Path.Combine(dir, "editor")));
        Assert.AreEqual("tool-a tool-b\n", File.ReadAllText(Path.Combine(dir, "tools")));
        Assert.AreEqual("", File.ReadAllText(Path.Combine(dir, "dropped")), "an empty mapping drops the package");
        Assert.IsFalse(File.Exists(Path.Combine(dir, "rh-only")), "only another family maps it: no mapping here");
    }

    [TestMethod]
    public void Write_ReleaseSection_WinsForThatRelease()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", PkgMap.FileName, Json);

        PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("e"), "debian", "trixie");

        Assert.AreEqual("vim-trixie\n", File.ReadAllText(Path.Combine(Table(tree, "e"), "editor")));
    }

    [TestMethod]
    public void Write_NoDistro_OnlyDefaultApplies()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", PkgMap.FileName, Json);

        PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("e"), null, null);

        Assert.AreEqual("vim\n", File.ReadAllText(Path.Combine(Table(tree, "e"), "editor")));
        Assert.IsFalse(File.Exists(Path.Combine(Table(tree, "e"), "dropped")));
    }

    [TestMethod]
    public void Write_ElementWithoutPkgMap_GetsNoFolder_OneWithAnEmptyMapGetsAnEmptyOne()
    {
        using var tree = new TempElementTree();
        tree.AddElement("plain");
        tree.AddFile("empty", PkgMap.FileName, "{}");

        PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("plain", "empty"), "debian", null);

        Assert.IsFalse(Directory.Exists(Table(tree, "plain")), "pkg-map tells 'no pkg-map' (exit 2) from 'no mapping' (exit 1)");
        Assert.IsTrue(Directory.Exists(Table(tree, "empty")));
        Assert.IsEmpty(Directory.GetFileSystemEntries(Table(tree, "empty")));
    }

    [TestMethod]
    public void Write_MalformedPkgMap_FailsWithCodeFileAndLine()
    {
        using var tree = new TempElementTree();
        var file = tree.AddFile("e", PkgMap.FileName, "{\n  \"default\": {\n    \"a\": \"b\",\n  }\n}");

        var error = Assert.ThrowsExactly<DibException>(() =>
            PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("e"), "debian", null));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(file, error.File);
        Assert.AreEqual(4, error.Line);
    }

    [TestMethod]
    public void Write_NameThatCannotBeAFileName_FailsWithTheFile()
    {
        using var tree = new TempElementTree();
        var file = tree.AddFile("e", PkgMap.FileName, """{ "default": { "a/b": "c" } }""");

        var error = Assert.ThrowsExactly<DibException>(() =>
            PkgMapFiles.Write(Path.Combine(tree.Root, "hooks"), tree.Set("e"), "debian", null));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(file, error.File);
        Assert.Contains("'a/b'", error.Message);
    }
}
