using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed class BlockDeviceConfigSourceTests
{
    private const string Project = "/work/project";
    private const string Inline = "- local_loop: { name: image0 }";

    private static readonly Element Mbr = new("block-device-mbr", "/elements/block-device-mbr", [], ["block-device"]);
    private static readonly Element Mine = new("my-layout", "/elements/my-layout", [], []);

    [TestMethod]
    public void Select_PropertyWithInlineYaml_WinsOverEverythingElse()
    {
        var source = Select(Inline, "file:///etc/layout.yaml", files: ["/etc/layout.yaml", "/elements/block-device-mbr/block-device-default.yaml"]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Property, source.Origin);
        Assert.AreEqual(Inline, source.Text);
        Assert.IsNull(source.FilePath);
        Assert.Contains(BlockDeviceConfigSource.PropertyName, source.SourceName);
    }

    [TestMethod]
    [DataRow("layout.yaml", "/work/project/layout.yaml", DisplayName = "relative to the project")]
    [DataRow("/srv/layout.yaml", "/srv/layout.yaml", DisplayName = "absolute")]
    [DataRow("file:///srv/layout.yaml", "/srv/layout.yaml", DisplayName = "file URL")]
    public void Select_PropertyWithAPath_NamesThatFile(string value, string path)
    {
        var source = Select(value, environment: Inline, files: [path]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Property, source.Origin);
        Assert.AreEqual(path, source.FilePath);
        Assert.AreEqual(path, source.SourceName);
    }

    [TestMethod]
    [DataRow("- local_loop:\n    name: image0", DisplayName = "block list")]
    [DataRow("[{ local_loop: { name: image0 } }]", DisplayName = "flow list")]
    [DataRow("  - local_loop: { name: image0 }", DisplayName = "indented")]
    public void Select_PropertyThatLooksLikeYaml_IsInlineYaml(string value)
    {
        Assert.AreEqual(value, Select(value).Text);
    }

    [TestMethod]
    public void Select_EnvironmentInline_WinsOverElements()
    {
        var source = Select(environment: Inline, files: ["/elements/block-device-mbr/block-device-default.yaml"]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Environment, source.Origin);
        Assert.AreEqual(Inline, source.Text);
        Assert.AreEqual(BlockDeviceConfigSource.EnvironmentVariable, source.SourceName);
    }

    [TestMethod]
    [DataRow("file:///srv/layout.yaml", "/srv/layout.yaml")]
    [DataRow("file://layouts/a.yaml", "/work/project/layouts/a.yaml")]
    public void Select_EnvironmentFileUrl_NamesThatFile(string value, string path)
    {
        var source = Select(environment: value, files: [path]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Environment, source.Origin);
        Assert.AreEqual(path, source.FilePath);
    }

    [TestMethod]
    public void Select_ElementWithAFileForTheArchitecture_PrefersItToTheDefaultFile()
    {
        var source = Select(arch: "arm64", elements: [Mine],
            files: ["/elements/my-layout/block-device-default.yaml", "/elements/my-layout/block-device-arm64.yaml"]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Element, source.Origin);
        Assert.AreEqual("my-layout", source.Element);
        Assert.AreEqual("/elements/my-layout/block-device-arm64.yaml", source.FilePath);
    }

    [TestMethod]
    [DataRow("ppc64le")]
    [DataRow("ppc64el")]
    public void Select_EitherPowerSpelling_LooksForThePpc64elFile(string arch)
    {
        var source = Select(arch: arch, elements: [Mine], files: ["/elements/my-layout/block-device-ppc64el.yaml"]);

        Assert.AreEqual("/elements/my-layout/block-device-ppc64el.yaml", source.FilePath);
    }

    [TestMethod]
    public void Select_TwoElementsWithLayouts_TheFirstWinsAndTheOtherIsReported()
    {
        // The first element's default file wins over the second's architecture file: the search goes element by element.
        var source = Select(elements: [Mine, Mbr],
            files: ["/elements/my-layout/block-device-default.yaml", "/elements/block-device-mbr/block-device-amd64.yaml"]);

        Assert.AreEqual("my-layout", source.Element);
        CollectionAssert.AreEqual(new[] { "/elements/block-device-mbr/block-device-amd64.yaml" }, source.Ignored.ToArray());
    }

    [TestMethod]
    public void Select_NothingAnywhere_FallsBackToTheFilesystemOnlyLayout()
    {
        var source = Select(propertyValue: "  ", environment: "", elements: [Mbr, Mine]);

        Assert.AreEqual(BlockDeviceConfigOrigin.Fallback, source.Origin);
        Assert.AreEqual(BlockDeviceDefaults.Load(BlockDeviceDefaults.FilesystemOnly), source.Load());
    }

    [TestMethod]
    [DataRow("missing.yaml", null, "/work/project/missing.yaml", DisplayName = "property")]
    [DataRow(null, "file:///srv/missing.yaml", "/srv/missing.yaml", DisplayName = "environment")]
    public void Select_FileThatDoesNotExist_FailsWithDib3020NamingThePathAndWhereItCameFrom(string? property, string? environment, string path)
    {
        var error = Assert.ThrowsExactly<DibException>(() => Select(property, environment));

        Assert.AreEqual(ErrorCodes.BlockDeviceConfigNotFound, error.Code);
        Assert.AreEqual(path, error.File);
        Assert.Contains(path, error.Message);
        Assert.Contains(property is null ? BlockDeviceConfigSource.EnvironmentVariable : BlockDeviceConfigSource.PropertyName, error.Message);
    }

    [TestMethod]
    public void Load_FileSource_ParsesTheFileAndErrorsNameIt()
    {
        var folder = Directory.CreateTempSubdirectory("dib-bd-source-");
        try
        {
            var file = Path.Combine(folder.FullName, "layout.yaml");
            File.WriteAllText(file, "- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext9 }\n");
            var source = BlockDeviceConfigSource.Select("layout.yaml", null, "amd64", [], File.Exists, folder.FullName);

            var error = Assert.ThrowsExactly<DibException>(source.Load);

            Assert.AreEqual(ErrorCodes.BlockDeviceUnknownFilesystem, error.Code);
            Assert.AreEqual(file, error.File);
            Assert.AreEqual(2, error.Line);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void Load_FileThatVanished_FailsWithDib3020()
    {
        var source = Select("gone.yaml", files: ["/work/project/gone.yaml"]);

        var error = Assert.ThrowsExactly<DibException>(source.Load);

        Assert.AreEqual(ErrorCodes.BlockDeviceConfigNotFound, error.Code);
        Assert.Contains("/work/project/gone.yaml", error.Message);
    }

    private static BlockDeviceConfigSource Select(
        string? propertyValue = null,
        string? environment = null,
        string arch = "amd64",
        Element[]? elements = null,
        string[]? files = null) =>
        BlockDeviceConfigSource.Select(propertyValue, environment, arch, elements ?? [Mine, Mbr],
            path => (files ?? []).Contains(path, StringComparer.Ordinal), Project);
}
