using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Element scripts that check their variables fail the build with their own code, naming the element,
/// the variable and the value, in the phase that reads it; and no-final-image leaves only the tree
/// formats. Tiny trees, no download: seconds each.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class ElementVariableErrorTests
{
    private static ImageProject TinyProject(string name, string elements, string environment, string formats = "raw")
    {
        var project = ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>{formats}</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="block-device-mbr" />
              {elements}
              {environment}
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        return project;
    }

    [TestMethod]
    public void ElementManifest_RelativePath_FailsWithDIB2351NamingElementVariableAndValue()
    {
        using var project = TinyProject("bad-manifest-path", """<Element Include="element-manifest" />""",
            """<ElementEnvironment Include="DIB_ELEMENT_MANIFEST_PATH" Value="etc/elements" />""");
        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB2351" }, result.ErrorCodes.ToArray(), result.Output);
        // manifests (pulled in by element-manifest) writes the same file first and checks the same way.
        StringAssert.Contains(result.Errors[0], "DIB_ELEMENT_MANIFEST_PATH='etc/elements' is not an absolute file path");
        StringAssert.Contains(result.Errors[0], "extra-data.d", "the error names the phase");
    }

    [TestMethod]
    public void PipAndVirtualenv_SourceInstall_FailsWithDIB2353BeforeInstalling()
    {
        using var project = TinyProject("pip-source", """<Element Include="pip-and-virtualenv" />""",
            """<ElementEnvironment Include="DIB_INSTALLTYPE_pip_and_virtualenv" Value="source" />""");
        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB2353" }, result.ErrorCodes.ToArray(), result.Output);
        StringAssert.Contains(result.Errors[0], "pip-and-virtualenv: DIB_INSTALLTYPE_pip_and_virtualenv='source'");
        StringAssert.Contains(result.Errors[0], "python3-pip");
        StringAssert.Contains(result.Errors[0], "pre-install.d");
    }

    [TestMethod]
    public void NoFinalImage_TinyTree_WritesTheTarAndNoDisk()
    {
        using var project = TinyProject("no-final", """<Element Include="no-final-image" />""", "", "raw;tar");
        var result = project.Build();

        result.AssertSucceeded();
        Assert.IsTrue(File.Exists(Path.Combine(project.OutputDirectory(), "no-final.tar")));
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory(), "no-final.raw")), "no disk with no-final-image");
        StringAssert.Contains(Command.RunChecked("tar", "-tf", Path.Combine(project.OutputDirectory(), "no-final.tar")), "etc/hostname");
    }
}
