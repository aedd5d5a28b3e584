using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>Bad input fails with one coded error that names the value, before anything is downloaded or written.</summary>
[TestClass]
public sealed class BadInputTests
{
    [TestMethod]
    public void Build_UnknownElement_FailsWithDIB2001NamingIt()
    {
        using var project = ImageProject.Create("unknown-element", """
            <ItemGroup><Element Include="debian-minimal" /><Element Include="nosuch-element" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB2001", "nosuch-element");
        Assert.IsFalse(Directory.Exists(project.OutputDirectory()), "nothing may be written to the output folder");
        // The error's help link (shown by the terminal logger) is its row in the package's own docs/errors.md.
        var errorsDocument = Path.Combine(PackedSdk.Instance.Packages, "diskimagebuilder.sdk", PackedSdk.Instance.Version, "docs", "errors.md");
        Assert.IsTrue(File.Exists(errorsDocument), errorsDocument);
        StringAssert.Contains(File.ReadAllText(errorsDocument), "<a id=\"dib2001\"></a>DIB2001");
        var link = new Uri(errorsDocument).AbsoluteUri + "#dib2001";
        var terminal = project.Build("-tl:on");
        StringAssert.Contains(terminal.Output, $"\u001b]8;;{link}\u001b\\DIB2001", "the terminal logger links the code to its row");
    }

    [TestMethod]
    public void Build_NoOperatingSystem_FailsWithDIB2002()
    {
        using var project = ImageProject.Create("no-os", """
            <ItemGroup><Element Include="vm" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB2002", "operating-system");
        Assert.IsFalse(Directory.Exists(project.OutputDirectory()));
    }

    [TestMethod]
    public void Build_UnknownTargetArch_FailsWithDIB1001NamingIt()
    {
        using var project = ImageProject.Create("bad-arch", """
            <PropertyGroup><TargetArch>sparc</TargetArch></PropertyGroup>
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB1001", "sparc");
        StringAssert.Contains(result.Errors[0], "amd64", "the error lists the valid architectures");
        Assert.IsFalse(Directory.Exists(project.OutputDirectory("sparc")));
    }

    [TestMethod]
    [DataRow("amd64;s390x", "s390x")]
    [DataRow("arm64;powerpc;i386", "powerpc")]
    public void Build_TargetArchsWithAnArchitectureTheSdkDoesNotBuild_FailsOnceWithDIB1001BeforeAnyInnerBuild(string archs, string bad)
    {
        using var project = ImageProject.Create("bad-archs", $"""
            <PropertyGroup><TargetArchs>{archs}</TargetArchs></PropertyGroup>
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB1001", $"'{bad}'");
        StringAssert.Contains(result.Errors[0], "amd64, arm64, i386, ppc64el", "the error lists the supported architectures");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "obj", "Debug", "amd64", "dib")), "no inner build started");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "bin")));
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    [DataRow("arm64", "block-device-mbr", "block-device-efi")]
    [DataRow("ppc64el", "block-device-efi", "block-device-mbr")]
    public void Build_LayoutTheArchitectureCannotBoot_FailsWithDIB3006NamingTheLayoutToUseBeforeAnyWork(string arch, string layout, string fix)
    {
        using var project = ImageProject.Create("wrong-layout", $"""
            <PropertyGroup><TargetArch>{arch}</TargetArch></PropertyGroup>
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /><Element Include="{layout}" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB3006", $"'{arch}'");
        StringAssert.Contains(result.Errors[0], fix);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(arch), "dib", "tree")), "no phase ran");
        Assert.IsFalse(Directory.Exists(project.OutputDirectory(arch)));
    }

    [TestMethod]
    public void Build_UnknownImageFormat_FailsWithDIB1003ListingValidOnes()
    {
        using var project = ImageProject.Create("bad-format", """
            <PropertyGroup><ImageFormats>qcow2;floppy</ImageFormats></PropertyGroup>
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        var result = project.Build();

        AssertOneError(result, "DIB1003", "floppy");
        StringAssert.Contains(result.Errors[0], "qcow2");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib", "tree")), "no phase may run");
    }

    [TestMethod]
    public void ResolveElementsTarget_PrintsTheResolvedSetWithPathAndProvides_AndBuildsNothing()
    {
        using var project = ImageProject.Create("resolve-only", """
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        var result = Command.Run("dotnet", ["msbuild", project.ProjectPath, "-nr:false", "-t:ResolveElements", "-getItem:ResolvedElement"],
            project.Directory, TimeSpan.FromMinutes(3), new Dictionary<string, string?> { ["NUGET_PACKAGES"] = null }, includeStandardError: false);
        Assert.AreEqual(0, result.ExitCode, result.Output);

        var items = System.Text.Json.JsonDocument.Parse(result.Output).RootElement.GetProperty("Items").GetProperty("ResolvedElement")
            .EnumerateArray().ToDictionary(e => e.GetProperty("Identity").GetString()!, e => e);
        CollectionAssert.IsSubsetOf(new[] { "debian-minimal", "dpkg", "vm", "bootloader", "block-device-mbr", "base", "package-installs" },
            items.Keys.ToArray());
        Assert.AreEqual("operating-system;kernel", items["debian-minimal"].GetProperty("Provides").GetString());
        Assert.AreEqual("block-device", items["block-device-mbr"].GetProperty("Provides").GetString());
        Assert.IsTrue(Directory.Exists(items["vm"].GetProperty("Path").GetString()), "Path is the element's folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib")), "no phase ran, nothing was downloaded");
    }

    [TestMethod]
    // The build checks the host tools (DIB5001) and, as an ordinary user, its user namespace (DIB5007, DIB5008) before it reads the layout.
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    [DataRow("duplicate-name", "DIB3011", """
        - local_loop:
            name: image0
        - partitioning:
            base: image0
            label: mbr
            partitions:
              - name: root
                size: 50%
              - name: root
                size: 100%
        """, "line 9")]
    [DataRow("label-too-long", "DIB3016", """
        - local_loop:
            name: image0
            mkfs:
              name: mkfs_root
              type: xfs
              label: much-too-long-label
              mount:
                mount_point: /
        """, "much-too-long-label")]
    [DataRow("does-not-fit", "DIB3003", """
        - local_loop:
            name: image0
        - partitioning:
            base: image0
            label: gpt
            partitions:
              - name: ESP
                type: EF00
                size: 550MiB
              - name: data
                size: 600MiB
        """, "partition 'data'")]
    [DataRow("lvm", "DIB3021", """
        - local_loop:
            name: image0
        - partitioning:
            base: image0
            label: gpt
            partitions:
              - name: pv0
                type: 8E00
                size: 100%
        - lvm:
            name: lvm
            base: [pv0]
            pvs:
              - name: pv
                base: pv0
            vgs:
              - name: vg
                base: [pv]
            lvs:
              - name: lv_root
                base: vg
                extents: 100%FREE
        - mkfs:
            name: mkfs_root
            base: lv_root
            type: ext4
            mount:
              mount_point: /
        """, "device-mapper")]
    public void Build_BadBlockDeviceConfig_FailsNamingTheFileAndLineBeforeAnyWork(string name, string code, string yaml, string named)
    {
        using var project = ImageProject.Create($"bd-{name}", """
            <PropertyGroup><BlockDeviceConfig>layout.yaml</BlockDeviceConfig><ImageSize>1GiB</ImageSize></PropertyGroup>
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        File.WriteAllText(Path.Combine(project.Directory, "layout.yaml"), yaml);
        var result = project.Build();

        AssertOneError(result, code, named);
        StringAssert.Contains(result.Errors[0], "layout.yaml");
        Assert.IsFalse(Directory.Exists(project.OutputDirectory()), "nothing may be written to the output folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib", "tree")), "no phase may run");
    }

    [TestMethod]
    [DataRow("yesterday", "yesterday")]
    [DataRow("86400", "before 1980")]
    public void Build_BadSourceDateEpoch_FailsWithDIB1011BeforeAnyWork(string value, string named)
    {
        using var project = ImageProject.Create("bad-epoch", """
            <ItemGroup><Element Include="debian-minimal" /><Element Include="vm" /></ItemGroup>
            """);
        project.Environment["SOURCE_DATE_EPOCH"] = value;
        var result = project.Build();

        AssertOneError(result, "DIB1011", named);
        Assert.IsFalse(Directory.Exists(project.OutputDirectory()), "nothing may be written to the output folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib", "tree")), "no phase may run");
    }

    private static void AssertOneError(BuildResult result, string code, string namedValue)
    {
        Assert.AreNotEqual(0, result.ExitCode, "dotnet build must exit non-zero");
        CollectionAssert.AreEqual(new[] { code }, result.ErrorCodes.ToArray(), result.Output);
        Assert.HasCount(1, result.Errors, result.Output);
        StringAssert.Contains(result.Errors[0], namedValue);
    }
}
