using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class PkgMapTests
{
    private const string Json = """
        {
          "release": { "ubuntu": { "noble": { "pkg": "from-release" } } },
          "distro": { "ubuntu": { "pkg": "from-distro", "distro-only": "d" } },
          "family": { "debian": { "pkg": "from-family", "family-only": "f", "dropped": "" } },
          "default": { "pkg": "from-default", "default-only": "x" }
        }
        """;

    private static PkgMap Map() => PkgMap.Parse(Json, "/e/pkg-map");

    [TestMethod]
    public void Map_MostSpecificSectionWins_ReleaseThenDistroThenFamilyThenDefault()
    {
        var map = Map();

        Assert.AreEqual("from-release", map.Map("pkg", "ubuntu", "debian", "noble"));
        Assert.AreEqual("from-distro", map.Map("pkg", "ubuntu", "debian", "jammy"));
        Assert.AreEqual("from-family", map.Map("pkg", "debian", "debian", "bookworm"));
        Assert.AreEqual("from-default", map.Map("pkg", "centos", "redhat", "9"));
        Assert.AreEqual("from-default", map.Map("pkg", null, null, null));
    }

    [TestMethod]
    public void Map_NameInALessSpecificSectionOnly_StillMaps()
    {
        var map = Map();

        Assert.AreEqual("f", map.Map("family-only", "ubuntu", "debian", "noble"));
        Assert.AreEqual("x", map.Map("default-only", "ubuntu", "debian", "noble"));
    }

    [TestMethod]
    public void Map_EmptyMapping_DropsThePackage()
    {
        Assert.IsNull(Map().Map("dropped", "debian", "debian", "bookworm"));
    }

    [TestMethod]
    public void Map_UnmappedName_IsReturnedUnchanged()
    {
        Assert.AreEqual("curl", Map().Map("curl", "ubuntu", "debian", "noble"));
        Assert.AreEqual("curl", PkgMap.Empty.Map("curl", "ubuntu", "debian", "noble"));
    }

    [TestMethod]
    public void Load_ElementWithoutPkgMap_MapsNothing()
    {
        using var tree = new TempElementTree();
        var element = tree.AddElement("e");

        Assert.AreEqual("curl", PkgMap.Load(element).Map("curl", "debian", "debian", null));
    }

    [TestMethod]
    public void Load_ElementPkgMap_IsRead()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", PkgMap.FileName, Json);

        Assert.AreEqual("from-distro", PkgMap.Load(Path.Combine(tree.ElementsDir(), "e")).Map("pkg", "ubuntu", null, null));
    }

    [TestMethod]
    public void Parse_InvalidJson_FailsWithFileAndLine()
    {
        var error = Assert.ThrowsExactly<DibException>(() => PkgMap.Parse("{\n  \"default\": {\n    \"a\": \"b\",\n  }\n}", "/e/pkg-map"));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual("/e/pkg-map", error.File);
        Assert.AreEqual(4, error.Line);
    }

    [TestMethod]
    public void Parse_UnknownSectionOrNonStringValue_Fails()
    {
        var unknown = Assert.ThrowsExactly<DibException>(() => PkgMap.Parse("""{ "familly": {} }""", "/e/pkg-map"));
        var notString = Assert.ThrowsExactly<DibException>(() => PkgMap.Parse("""{ "default": { "a": ["b"] } }""", "/e/pkg-map"));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, unknown.Code);
        Assert.Contains("'familly'", unknown.Message);
        Assert.AreEqual(ErrorCodes.BadPackageInstalls, notString.Code);
        Assert.Contains("default.a", notString.Message);
    }

    [TestMethod]
    public void TryMap_TellsUnmappedNamesFromMappedAndDroppedOnes()
    {
        var map = Map();

        Assert.IsTrue(map.TryMap("pkg", "debian", "debian", "bookworm", out var mapped));
        Assert.AreEqual("from-family", mapped);
        Assert.IsTrue(map.TryMap("dropped", "debian", "debian", "bookworm", out mapped));
        Assert.IsNull(mapped);
        Assert.IsFalse(map.TryMap("distro-only", "debian", "debian", "bookworm", out mapped), "only ubuntu maps it");
        Assert.IsNull(mapped);
    }

    [TestMethod]
    public void MappedNames_ListsEveryNameOfEverySection_Once()
    {
        CollectionAssert.AreEqual(new[] { "default-only", "distro-only", "dropped", "family-only", "pkg" }, Map().MappedNames.ToArray());
        Assert.IsEmpty(PkgMap.Empty.MappedNames);
    }

    [TestMethod]
    public void FamilyOf_KnownDistros_GivePkgMapFamilies()
    {
        Assert.AreEqual("debian", PkgMap.FamilyOf("ubuntu"));
        Assert.AreEqual("redhat", PkgMap.FamilyOf("centos"));
        Assert.AreEqual("suse", PkgMap.FamilyOf("opensuse"));
        Assert.IsNull(PkgMap.FamilyOf("plan9"));
        Assert.IsNull(PkgMap.FamilyOf(null));
    }
}
