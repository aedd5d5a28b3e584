using System.Text.Json;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>TargetArchs: one inner build per architecture, outputs per architecture folder; with oci, one multi-platform archive over them.</summary>
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
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public void TargetArchsWithOci_WritesOneMultiPlatformArchiveThatSkopeoReadsAndANoOpBuildSkips()
    {
        using var project = ImageProject.Create("multioci", """
            <PropertyGroup>
              <TargetArchs>amd64;i386</TargetArchs>
              <ImageFormats>oci</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        var configurationFolder = Path.Combine(project.Directory, "bin", "Debug");
        var archive = Path.Combine(configurationFolder, "multioci.oci.tar");

        var build = project.Build();

        build.AssertSucceeded();
        StringAssert.Contains(build.Output, $"multioci (amd64;i386) -> {archive}");
        var checksum = Command.Run("sha256sum", ["-c", "multioci.oci.tar.sha256"], configurationFolder);
        Assert.AreEqual(0, checksum.ExitCode, checksum.Output);
        var manifests = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect", "--raw", $"oci-archive:{archive}"))
            .RootElement.GetProperty("manifests").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "amd64", "386" },
            manifests.Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).ToArray(), "TargetArchs order");
        Assert.IsTrue(manifests.All(m => !m.GetProperty("platform").TryGetProperty("variant", out _)));
        foreach (var (arch, goArch, manifest) in new[] { ("amd64", "amd64", manifests[0]), ("i386", "386", manifests[1]) })
        {
            var own = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect",
                $"oci-archive:{Path.Combine(project.OutputDirectory(arch), "multioci.oci.tar")}:latest")).RootElement;
            Assert.AreEqual(own.GetProperty("Digest").GetString(), manifest.GetProperty("digest").GetString(), $"{arch}: its own archive's manifest");

            // What a user does to take one platform out of it: copy by tag, with that platform asked for.
            var copy = Path.Combine(project.Directory, "copy-" + arch);
            Command.RunChecked("skopeo", "--override-arch", goArch, "copy", $"oci-archive:{archive}:latest", $"oci:{copy}:latest");
            var config = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect", "--config", $"oci:{copy}:latest")).RootElement;
            Assert.AreEqual(goArch, config.GetProperty("architecture").GetString());
        }

        var written = File.GetLastWriteTimeUtc(archive);
        var noop = project.Build();

        noop.AssertSucceeded();
        StringAssert.Contains(noop.Output, "Skipping target \"_DibWriteImageIndex\" because all output files are up-to-date");
        StringAssert.Contains(noop.Output, $"multioci (amd64;i386) -> {archive}");
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(archive));

        project.Run("clean").AssertSucceeded();

        Assert.IsFalse(File.Exists(archive), "dotnet clean removes the multi-platform archive");
        Assert.IsFalse(File.Exists(archive + ".sha256"), "and its checksum file");
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
