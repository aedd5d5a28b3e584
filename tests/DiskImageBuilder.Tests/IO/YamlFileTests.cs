using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.Tests.IO;

[TestClass]
public sealed class YamlFileTests
{
    [TestMethod]
    public void LoadRoot_BrokenSyntax_FailsWithTheCallersCodeAndTheLine()
    {
        var error = Assert.ThrowsExactly<DibException>(() => YamlFile.LoadRoot("a: 1\nb: [1, 2\nc: 3\n", "/e/x.yaml", "DIB9999"));

        Assert.AreEqual("DIB9999", error.Code);
        Assert.AreEqual("/e/x.yaml", error.File);
        Assert.IsGreaterThan(1, error.Line);
    }

    [TestMethod]
    public void LoadRoot_DuplicateKey_FailsWithTheCallersCode()
    {
        var error = Assert.ThrowsExactly<DibException>(() => YamlFile.LoadRoot("a: 1\na: 2\n", "/e/x.yaml", "DIB9999"));

        Assert.AreEqual("DIB9999", error.Code);
        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("~\n")]
    [DataRow("null\n")]
    public void LoadRoot_NothingOrNull_ReturnsNull(string text) =>
        Assert.IsNull(YamlFile.LoadRoot(text, "x.yaml", "DIB9999"));

    [TestMethod]
    public void Error_PointsAtTheNodesLine()
    {
        var root = (YamlMappingNode)YamlFile.LoadRoot("a: 1\nb: [x]\n", "x.yaml", "DIB9999")!;

        var error = YamlFile.Error("DIB9998", "x.yaml", root.Children[new YamlScalarNode("b")], "b must be a map");

        Assert.AreEqual(("DIB9998", 2, "x.yaml line 2: b must be a map."), (error.Code, error.Line, error.Message));
    }
}
