using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// `selinux-fixfiles-restore` on a small ext4 disk image (the tiny test tree with a made-up SELinux policy,
/// TestElements/selinux-policy-probe): every file labelled from the tree's own file contexts, the labels read back
/// from the raw file with debugfs; and file contexts setfiles refuses, a coded error.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class SelinuxRelabelTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;
    private static readonly List<ImageProject> s_others = [];

    private static string Raw => Path.Combine(s_project.OutputDirectory(), s_project.Name + ".raw");

    private static ImageProject Project(string name, string extra = "")
    {
        var project = ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="block-device-mbr" />
              <Element Include="selinux-policy-probe" />
              <Element Include="selinux-fixfiles-restore" />
              {extra}
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("selinux-policy-probe");
        return project;
    }

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_project = Project("selinux-relabel");
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_project?.Dispose();
        foreach (var project in s_others)
            project.Dispose();
    }

    /// <summary>The security.selinux attribute of a file of the image's root filesystem, read with debugfs from the raw file.</summary>
    private static string Label(string path)
    {
        var output = Command.StandardOutput("debugfs", "-R", $"ea_get -V {path} security.selinux", $"{Raw}?offset={ImageFiles.FirstPartitionOffset}");
        return output.Trim().TrimEnd('\0');
    }

    [TestMethod]
    public void Relabel_LabelsEveryFileFromTheTreesOwnPolicy_AndTheDiskCarriesTheLabels()
    {
        s_build.AssertSucceeded();
        StringAssert.Matches(s_build.Output, new System.Text.RegularExpressions.Regex(@"selinux-fixfiles-restore: [1-9][0-9]* files labelled with the 'dibtest' policy's file contexts"));
        Assert.AreEqual("system_u:object_r:etc_t:s0", Label("/etc/hostname"));
        Assert.AreEqual("system_u:object_r:bin_t:s0", Label("/usr/bin/bash"));
        Assert.AreEqual("system_u:object_r:device_t:s0", Label("/dev"), "the /dev folder on disk, not a mount over it");
        Assert.AreEqual("system_u:object_r:default_t:s0", Label("/root"));
    }

    /// <summary>Builds with the probe's <paramref name="variable"/> set, which must stop with <paramref name="code"/> alone and write no image.</summary>
    private static BuildResult StopsWith(string name, string variable, string code)
    {
        var project = Project(name, $"""<ElementEnvironment Include="{variable}" Value="1" />""");
        s_others.Add(project);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { code }, build.ErrorCodes.ToArray(), build.Output);
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory(), project.Name + ".raw")), "no image is written");
        return build;
    }

    [TestMethod]
    public void Relabel_FileContextsSetfilesRefuses_IsACodedErrorNamingTheLine()
    {
        var build = StopsWith("selinux-bad-contexts", "DIB_TEST_BAD_FILE_CONTEXTS", "DIB2525");
        StringAssert.Contains(build.Errors[0], "invalid regex /usr/lib(");
    }

    [TestMethod]
    public void Relabel_AFileContextsSiblingThatIsALink_IsNotRead()
    {
        var build = StopsWith("selinux-linked-local", "DIB_TEST_LINKED_LOCAL_CONTEXTS", "DIB5050");
        StringAssert.Contains(build.Errors[0], "file_contexts.local is not a regular file");
        var shadow = File.ReadLines("/etc/shadow").First(l => l.Length > 0);
        Assert.DoesNotContain(shadow, build.Output, "nothing of the file the link names (its first line) reaches the log");
    }
}
