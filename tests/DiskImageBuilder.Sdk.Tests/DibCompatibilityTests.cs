using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// What diskimage-builder's own elements do and the SDK must accept unchanged, on a tiny tree (no download).
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class DibCompatibilityTests
{
    [TestMethod]
    public void HostSideScriptsCallingSudo_RunTheirCommandsAsRoot_WhetherOrNotTheHostHasSudo()
    {
        using var project = ImageProject.Create("sudo-caller", """
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="sudo-caller" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("sudo-caller");

        project.Build().AssertSucceeded();

        var tar = Path.Combine(project.OutputDirectory(), "sudo-caller.tar");
        StringAssert.EndsWith(Command.RunChecked("tar", "-xOf", tar, "etc/sudo-probe/root.d").Trim(), "/.dib-host-bin/sudo",
            "root.d's sudo is the SDK's, first on the PATH");
        Assert.AreEqual("cleanup 0", Command.RunChecked("tar", "-xOf", tar, "etc/sudo-probe/cleanup.d").Trim(),
            "sudo's NAME=value words set the variable; the command runs as root");
    }
}
