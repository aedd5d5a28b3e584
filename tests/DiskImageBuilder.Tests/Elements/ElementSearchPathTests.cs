using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ElementSearchPathTests
{
    [TestMethod]
    public void Split_ColonsAndSemicolons_DropsEmptyEntries()
    {
        var parts = ElementSearchPath.Split("/a::/b;/c; ;");

        CollectionAssert.AreEqual(new[] { "/a", "/b", "/c" }, parts.ToArray());
    }

    [TestMethod]
    public void Find_ExistingElement_ReadsDependenciesAndProvides()
    {
        using var tree = new TempElementTree();
        var path = tree.AddElement("debian-minimal", deps: ["dpkg", "base"], provides: ["operating-system"]);

        var element = tree.SearchPath().Find("debian-minimal");

        Assert.IsNotNull(element);
        Assert.AreEqual("debian-minimal", element.Name);
        Assert.AreEqual(path, element.Path);
        CollectionAssert.AreEqual(new[] { "dpkg", "base" }, element.Dependencies.ToArray());
        CollectionAssert.AreEqual(new[] { "operating-system" }, element.Provides.ToArray());
    }

    [TestMethod]
    public void Find_ElementDepsWithBlanksCommentsAndSpaces_KeepsOnlyTrimmedNames()
    {
        using var tree = new TempElementTree();
        tree.AddElement("a", deps: ["# why we need b", "  b  ", "", "c # trailing comment", "\tb", "   "]);

        var element = tree.SearchPath().Find("a");

        Assert.IsNotNull(element);
        CollectionAssert.AreEqual(new[] { "b", "c" }, element.Dependencies.ToArray());
        Assert.IsEmpty(element.Provides);
    }

    [TestMethod]
    public void Find_UnknownName_ReturnsNull()
    {
        using var tree = new TempElementTree();
        tree.AddElement("a");

        Assert.IsNull(tree.SearchPath().Find("nosuch"));
    }

    [TestMethod]
    public void Find_NameWithPathSeparatorOrDots_ReturnsNull()
    {
        using var tree = new TempElementTree();
        tree.AddElement("a");
        var searchPath = tree.SearchPath();

        Assert.IsNull(searchPath.Find("../elements/a"));
        Assert.IsNull(searchPath.Find(".."));
        Assert.IsNull(searchPath.Find(""));
    }

    [TestMethod]
    public void Find_NonexistentDirectoryInList_IsSkipped()
    {
        using var tree = new TempElementTree();
        tree.AddElement("a", directory: "builtin");
        var searchPath = new ElementSearchPath([Path.Combine(tree.Root, "missing"), tree.ElementsDir("builtin")]);

        var element = searchPath.Find("a");

        Assert.IsNotNull(element);
        Assert.AreEqual(Path.Combine(tree.Root, "builtin", "a"), element.Path);
        Assert.IsEmpty(searchPath.Warnings);
    }

    [TestMethod]
    public void Find_ElementInTwoDirectories_FirstWinsAndShadowingIsWarned()
    {
        using var tree = new TempElementTree();
        var userCopy = tree.AddElement("a", deps: ["user-dep"], directory: "user");
        var builtinCopy = tree.AddElement("a", deps: ["builtin-dep"], directory: "builtin");
        var searchPath = tree.SearchPath("user", "builtin");

        var element = searchPath.Find("a");

        Assert.IsNotNull(element);
        Assert.AreEqual(userCopy, element.Path);
        CollectionAssert.AreEqual(new[] { "user-dep" }, element.Dependencies.ToArray());
        var warning = Assert.ContainsSingle(searchPath.Warnings);
        Assert.AreEqual($"Element 'a' in {userCopy} overrides {builtinCopy}", warning);
    }

    [TestMethod]
    public void Find_SameNameTwice_WarnsOnce()
    {
        using var tree = new TempElementTree();
        tree.AddElement("a", directory: "user");
        tree.AddElement("a", directory: "builtin");
        var searchPath = tree.SearchPath("user", "builtin");

        searchPath.Find("a");
        searchPath.Find("a");

        Assert.HasCount(1, searchPath.Warnings);
    }

    [TestMethod]
    public void Find_SymlinkedElementDirectory_IsFound()
    {
        using var tree = new TempElementTree();
        var real = tree.AddElement("real", provides: ["thing"], directory: "elsewhere");
        Directory.CreateSymbolicLink(Path.Combine(tree.ElementsDir(), "linked"), real);

        var element = tree.SearchPath().Find("linked");

        Assert.IsNotNull(element);
        CollectionAssert.AreEqual(new[] { "thing" }, element.Provides.ToArray());
    }

    [TestMethod]
    public void Find_ElementFileThatCannotBeRead_FailsWithElementUnreadable()
    {
        // Permission bits do not stop root, so an element-deps that is a directory stands in for an unreadable file.
        using var tree = new TempElementTree();
        var path = tree.AddElement("broken");
        Directory.CreateDirectory(Path.Combine(path, Element.DependenciesFile));

        var error = Assert.ThrowsExactly<DibException>(() => tree.SearchPath().Find("broken"));

        Assert.AreEqual(ErrorCodes.ElementUnreadable, error.Code);
        Assert.Contains("'broken'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void Find_ElementDirectoryWithoutPermissions_FailsWithElementUnreadable()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Assert.Inconclusive("Root reads any directory; the element-deps-is-a-directory test covers this path.");
            return;
        }

        using var tree = new TempElementTree();
        var path = tree.AddElement("locked", deps: ["x"]);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            var error = Assert.ThrowsExactly<DibException>(() => tree.SearchPath().Find("locked"));
            Assert.AreEqual(ErrorCodes.ElementUnreadable, error.Code);
            Assert.Contains("'locked'", error.Message);
        }
        finally
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TestMethod]
    public void Constructor_RelativeDirectory_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new ElementSearchPath(["elements"]));
    }
}
