using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>TargetArchs: one inner build per architecture, outputs per architecture folder.</summary>
[TestClass]
public sealed class TargetArchsTests
{
    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public void TargetArchs_BuildsOneImagePerArchitecture()
    {
        using var project = ImageProject.Create("multi", """
            <PropertyGroup>
              <TargetArchs>amd64;i386</TargetArchs>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" /><Element Include="tiny-probe" /><Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_ITEM" Value="from-item" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("tiny-probe");
        project.AddTestElement("tiny-helper");

        var result = project.Build();

        result.AssertSucceeded();
        foreach (var arch in new[] { "amd64", "i386" })
        {
            var raw = Path.Combine(project.OutputDirectory(arch), "multi.raw");
            Assert.IsTrue(File.Exists(raw), $"{arch}: {raw}");
            StringAssert.Contains(ImageFiles.ReadFile(raw, "/probe/env-install.d"), $"ARCH={arch}\n", "each inner build has its own ARCH");
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void ForeignArchitectureWithoutEmulation_FailsWithDIB5004BeforeAnyWork()
    {
        if (File.Exists("/proc/sys/fs/binfmt_misc/qemu-aarch64"))
            Assert.Inconclusive("This host can run arm64 programs (qemu-user binfmt), so arm64 is not foreign here.");
        using var project = ImageProject.Create("foreign", """
            <PropertyGroup><TargetArch>arm64</TargetArch><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");

        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB5004" }, result.ErrorCodes.ToArray(), result.Output);
        StringAssert.Contains(result.Errors[0], "qemu-user-static");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory("arm64"), "dib")), "nothing was built");
    }
}
