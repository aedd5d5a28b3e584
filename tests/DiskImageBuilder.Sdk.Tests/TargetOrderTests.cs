using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The pipeline's order comes from each target's DependsOnTargets, not from its place in DiskImageBuildDependsOn:
/// a project that overrides the chain, even backwards or with only the last target, builds the same image.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class TargetOrderTests
{
    [TestMethod]
    [DataRow("_DibCollectOutputs")]
    [DataRow("_DibCollectOutputs;_DibManifests;_DibConvert;_DibBlockDevice;_DibTree;_DibStages;_DibPlan;ResolveElements")]
    public void Build_OverriddenDiskImageBuildDependsOn_StillRunsEveryStepInOrder(string chain)
    {
        using var project = ImageProject.Create("order", $"""
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
              <DiskImageCache>false</DiskImageCache>
              <CustomAfterDiskImageBuilderTargets>$(MSBuildProjectDirectory)/chain.targets</CustomAfterDiskImageBuilderTargets>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" /><Element Include="tiny-probe" /><Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_ITEM" Value="from-item" />
            </ItemGroup>
            """);
        // The hook imported after Sdk.targets, where a chain defined by the SDK can be overridden.
        File.WriteAllText(Path.Combine(project.Directory, "chain.targets"),
            $"<Project><PropertyGroup><DiskImageBuildDependsOn>{chain}</DiskImageBuildDependsOn></PropertyGroup></Project>");
        project.AddTestElement("tiny-os");
        project.AddTestElement("tiny-probe");
        project.AddTestElement("tiny-helper");

        var build = project.Build();

        build.AssertSucceeded();
        var raw = Path.Combine(project.OutputDirectory(), "order.raw");
        CollectionAssert.AreEqual(new[] { "root.d", "extra-data.d", "pre-install.d", "install.d", "post-install.d",
            "post-root.d", "block-device.d", "pre-finalise.d", "finalise.d", "cleanup.d" },
            ImageFiles.ReadFile(raw, "/probe/order").Split('\n', StringSplitOptions.RemoveEmptyEntries), "every phase ran once, in order");
        StringAssert.Contains(ImageFiles.ReadFile(raw, "/etc/fstab"), "LABEL=cloudimg-rootfs", "the disk was created before finalise");
        Assert.IsTrue(File.Exists(raw + ".sha256"));
        Assert.IsTrue(Directory.Exists(Path.Combine(project.OutputDirectory(), "order.manifests")));
    }
}
