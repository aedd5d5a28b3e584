using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ServiceMapTests
{
    private const string Nova = """
        nova-api:
          default: openstack-nova-api
          debian: nova-api
        nova-compute:
          default: openstack-nova-compute
        """;

    private static DibException Malformed(string yaml) =>
        Assert.ThrowsExactly<DibException>(() => ServiceMap.Parse(yaml, "/e/svc-map"));

    [TestMethod]
    public void Parse_ServicesWithNamesPerDistro_GiveOneEntryEachInFileOrder()
    {
        var entries = ServiceMap.Parse(Nova, "/e/svc-map");

        CollectionAssert.AreEqual(new[] { "nova-api", "nova-compute" }, entries.Select(e => e.Service).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 4 }, entries.Select(e => e.Line).ToArray());
        Assert.AreEqual("nova-api", entries[0].Names["debian"]);
        Assert.AreEqual("openstack-nova-api", entries[0].Names["default"]);
        Assert.AreEqual("/e/svc-map", entries[1].File);
    }

    [TestMethod]
    public void Parse_FlowStyleAndComments_AreYaml()
    {
        var entries = ServiceMap.Parse("# services\nhttpd: {debian: apache2, default: httpd}  # web\n", "/e/svc-map");

        Assert.AreEqual("apache2", entries.Single().Names["debian"]);
    }

    [TestMethod]
    public void Parse_EmptyFile_GivesNoServices()
    {
        Assert.IsEmpty(ServiceMap.Parse("", "/e/svc-map"));
        Assert.IsEmpty(ServiceMap.Parse("# nothing yet\n", "/e/svc-map"));
    }

    [TestMethod]
    public void Parse_InvalidYaml_FailsWithCodeFileAndLine()
    {
        var error = Malformed("nova-api:\n  default: openstack-nova-api\n debian: [unclosed\n");

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual("/e/svc-map", error.File);
        Assert.AreEqual(3, error.Line);
        Assert.Contains("/e/svc-map line 3", error.Message);
    }

    [TestMethod]
    public void Parse_ServiceTwiceInOneFile_FailsAtTheSecond()
    {
        var error = Malformed("a:\n  default: x\nb:\n  default: y\na:\n  default: z\n");

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(5, error.Line);
        Assert.Contains("Duplicate key a", error.Message);
    }

    [TestMethod]
    public void Parse_RootIsNotAMap_FailsWithLine()
    {
        var error = Malformed("- nova-api\n- nova-compute\n");

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(1, error.Line);
        Assert.Contains("map of service names", error.Message);
    }

    [TestMethod]
    public void Parse_ServiceWithoutNames_FailsAtTheService()
    {
        var scalar = Malformed("a:\n  default: x\nnova-api: openstack-nova-api\n");
        var empty = Malformed("a:\n  default: x\n\nnova-api:\n");

        Assert.AreEqual(3, scalar.Line);
        Assert.Contains("'nova-api' must map to its names", scalar.Message);
        Assert.AreEqual(4, empty.Line);
    }

    [TestMethod]
    public void Parse_DistroWithoutName_FailsAtThatLine()
    {
        var error = Malformed("nova-api:\n  default: openstack-nova-api\n  debian:\n");

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(3, error.Line);
        Assert.Contains("no name for 'debian'", error.Message);
    }

    [TestMethod]
    public void Parse_NameThatIsAList_Fails()
    {
        var error = Malformed("nova-api:\n  debian: [a, b]\n");

        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    public void Parse_ServiceNameWithSlash_Fails()
    {
        var error = Malformed("a:\n  default: x\nsystem/nova:\n  default: nova\n");

        Assert.AreEqual(3, error.Line);
        Assert.Contains("'system/nova'", error.Message);
    }

    [TestMethod]
    public void Load_MergesTheServicesOfAllElementsInElementOrder()
    {
        using var tree = new TempElementTree();
        tree.AddFile("nova", ServiceMap.FileName, Nova);
        tree.AddFile("glance", ServiceMap.FileName, "glance-api:\n  default: openstack-glance-api\n  debian: glance-api\n");
        tree.AddElement("plain");

        var map = ServiceMap.Load(tree.Set("nova", "plain", "glance"));

        CollectionAssert.AreEqual(new[] { "nova-api", "nova-compute", "glance-api" }, map.Entries.Select(e => e.Service).ToArray());
        var debian = map.Resolve("debian");
        Assert.AreEqual("nova-api", debian["nova-api"]);
        Assert.AreEqual("openstack-nova-compute", debian["nova-compute"]);
        Assert.AreEqual("glance-api", debian["glance-api"]);
        Assert.AreEqual("openstack-glance-api", map.Resolve("fedora")["glance-api"]);
    }

    [TestMethod]
    public void Load_ServiceMappedByTwoElements_FailsNamingBoth()
    {
        using var tree = new TempElementTree();
        tree.AddFile("nova", ServiceMap.FileName, Nova);
        var second = tree.AddFile("other", ServiceMap.FileName, "x:\n  default: y\nnova-compute:\n  default: nova-compute\n");

        var error = Assert.ThrowsExactly<DibException>(() => ServiceMap.Load(tree.Set("nova", "other")));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(second, error.File);
        Assert.AreEqual(3, error.Line);
        Assert.Contains("'nova'", error.Message);
        Assert.Contains("'other'", error.Message);
    }

    [TestMethod]
    public void Load_MalformedFile_FailsWithThatElementsFile()
    {
        using var tree = new TempElementTree();
        tree.AddFile("good", ServiceMap.FileName, Nova);
        var bad = tree.AddFile("bad", ServiceMap.FileName, "a: [\n");

        var error = Assert.ThrowsExactly<DibException>(() => ServiceMap.Load(tree.Set("good", "bad")));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(bad, error.File);
        Assert.IsGreaterThan(0, error.Line);
    }

    [TestMethod]
    public void Load_NoElementHasSvcMap_GivesAnEmptyMap()
    {
        using var tree = new TempElementTree();
        tree.AddElement("plain");

        Assert.IsEmpty(ServiceMap.Load(tree.Set("plain")).Entries);
    }
}
