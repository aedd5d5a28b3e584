using System.Text.Json;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// One small image built once in every disk format and squashfs, each read back with the tool its
/// platform's users run (qemu-img, unsquashfs, sha256sum), plus the DiskImageOutput items and clean.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class OutputFormatTests
{
    private static readonly string[] DiskFormats = ["raw", "qcow2", "vhd", "vhdx", "vmdk", "vdi"];
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    private static string Output(string suffix) => Path.Combine(s_project.OutputDirectory(), "formats" + suffix);

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_project = ImageProject.Create("formats", """
            <PropertyGroup>
              <ImageFormats>raw;qcow2;vhd;vhdx;vmdk;vdi;squashfs</ImageFormats>
              <ImageChecksums>sha256;md5</ImageChecksums>
              <ImageSize>200000000</ImageSize>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="block-device-mbr" />
            </ItemGroup>
            <Target Name="PrintOutputs" AfterTargets="Build">
              <Message Importance="high" Text="OUTPUT %(DiskImageOutput.Format) %(DiskImageOutput.Size) %(DiskImageOutput.Sha256) %(DiskImageOutput.Identity)" />
            </Target>
            """);
        s_project.AddTestElement("tiny-os");
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    [TestMethod]
    [DataRow("raw", "raw"), DataRow("qcow2", "qcow2"), DataRow("vhd", "vpc"), DataRow("vhdx", "vhdx"), DataRow("vmdk", "vmdk"), DataRow("vdi", "vdi")]
    public void DiskFormat_QemuImgReportsFormatAndVirtualSize(string format, string qemuName)
    {
        s_build.AssertSucceeded();
        var info = ImageFiles.QemuImgInfo(Output("." + format));
        Assert.AreEqual(qemuName, info.GetProperty("format").GetString());
        // 200000000 bytes rounded up to a whole MiB: 191 MiB.
        Assert.AreEqual(191L * 1024 * 1024, info.GetProperty("virtual-size").GetInt64(), format);
        if (format is "qcow2" or "vhdx" or "vdi")
            Assert.AreEqual(0, Command.Run("qemu-img", ["check", Output("." + format)]).ExitCode, $"qemu-img check {format}");
        if (format == "vmdk")
            StringAssert.Contains(info.GetProperty("format-specific").GetProperty("data").GetProperty("create-type").GetString()!, "streamOptimized");
    }

    [TestMethod]
    public void DiskFormats_HoldTheSameDiskAsTheRawFile()
    {
        s_build.AssertSucceeded();
        foreach (var format in DiskFormats.Skip(1))
        {
            var compare = Command.Run("qemu-img", ["compare", "-f", "raw", Output(".raw"), Output("." + format)]);
            Assert.AreEqual(0, compare.ExitCode, $"{format} differs from the raw disk:\n{compare.Output}");
        }
    }

    [TestMethod]
    public void FixedVhd_HasWholeMiBSizeAndConectixFooter()
    {
        using var project = ImageProject.Create("fixed", """
            <PropertyGroup>
              <ImageFormats>vhd</ImageFormats><VhdSubformat>fixed</VhdSubformat><ImageChecksums>none</ImageChecksums>
              <ImageSize>200000000</ImageSize><ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.Build().AssertSucceeded();
        var path = Path.Combine(project.OutputDirectory(), "fixed.vhd");
        var vhd = File.ReadAllBytes(path);
        var footer = vhd[^512..];
        CollectionAssert.AreEqual("conectix"u8.ToArray(), footer[..8], "the VHD footer cookie");
        Assert.AreEqual(2u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(footer.AsSpan(60)), "disk type 2 = fixed");
        Assert.AreEqual(191L * 1024 * 1024, vhd.Length - 512, "the data part is a whole number of MiB");
        Assert.IsFalse(File.Exists(path + ".sha256"), "ImageChecksums=none writes no checksum file");
    }

    [TestMethod]
    public void Squashfs_HoldsTheTreeWithoutDeviceNodes()
    {
        s_build.AssertSucceeded();
        var listing = Command.StandardOutput("unsquashfs", "-l", Output(".squashfs"));
        StringAssert.Contains(listing, "squashfs-root/etc/hostname");
        Assert.IsFalse(listing.Split('\n').Any(l => l.StartsWith("squashfs-root/dev/", StringComparison.Ordinal)), "no device nodes");
    }

    [TestMethod]
    public void Checksums_VerifyWithCoreutils()
    {
        s_build.AssertSucceeded();
        foreach (var tool in new[] { "sha256sum", "md5sum" })
        {
            var extension = tool == "sha256sum" ? ".sha256" : ".md5";
            foreach (var format in DiskFormats.Append("squashfs"))
            {
                var result = Command.Run(tool, ["-c", "formats." + format + extension], s_project.OutputDirectory());
                Assert.AreEqual(0, result.ExitCode, $"{tool} -c formats.{format}{extension}: {result.Output}");
            }
        }
    }

    [TestMethod]
    public void Build_ReturnsDiskImageOutputItemsWithSizeAndSha256()
    {
        s_build.AssertSucceeded();
        var items = s_build.Lines().Select(l => l.Trim()).Where(l => l.StartsWith("OUTPUT ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).ToDictionary(p => p[1], p => (Size: long.Parse(p[2]), Sha256: p[3], Path: p[4]));
        CollectionAssert.AreEquivalent(DiskFormats.Append("squashfs").ToArray(), items.Keys.ToArray());
        foreach (var (format, item) in items)
        {
            Assert.AreEqual(new FileInfo(item.Path).Length, item.Size, format);
            var sha = Command.StandardOutput("sha256sum", item.Path).Split(' ')[0];
            Assert.AreEqual(sha, item.Sha256, format);
        }
    }

    [TestMethod]
    public void UnknownFormat_IsRejectedListingEveryValidFormat()
    {
        s_build.AssertSucceeded();
        var result = s_project.Build("-p:ImageFormats=qcow2%3Biso9660x");
        CollectionAssert.AreEqual(new[] { "DIB1003" }, result.ErrorCodes.ToArray(), result.Output);
        foreach (var name in new[] { "iso9660x", "qcow2", "vhd", "vmdk", "vdi", "squashfs", "oci", "docker" })
            StringAssert.Contains(result.Errors[0], name);
    }

    [TestMethod]
    public void Clean_RemovesOutputsAndIntermediates()
    {
        s_build.AssertSucceeded();
        using var project = ImageProject.Create("clean", """
            <PropertyGroup><ImageFormats>raw;qcow2</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.Build().AssertSucceeded();
        Assert.IsTrue(File.Exists(Path.Combine(project.OutputDirectory(), "clean.qcow2")));

        var clean = project.Run("clean");

        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        Assert.IsFalse(Directory.EnumerateFiles(project.OutputDirectory()).Any(), "bin/ is empty after clean");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib")), "the tree and disk are gone");
    }
}
