using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Element scripts run as root (of the build's user namespace, in a build as an ordinary user), yet the host stays out of their reach: in the chroot they cannot
/// make or use device nodes, load modules, mount, leave the chroot or change the host's kernel
/// settings; a symbolic link planted in the tree never sends a mount, a mkdir, a delete or a copy
/// to the host. Each test puts "host files" in a folder of its own and checks them afterwards.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class HostIsolationTests
{
    [TestMethod]
    [DataRow(false, DisplayName = "as root")]
    [DataRow(true, DisplayName = "as an ordinary user (rootless)")]
    public void ChrootScript_CannotReachHostDevicesKernelSettingsOrLeaveTheChroot_AndStillChownsFiles(bool rootless)
    {
        var before = HostSnapshot.Take();
        using var project = Project("escape", "escape-probe");
        if (rootless)
            RootlessBuildTests.ForUser(project, UnprivilegedUser.Ensure(RootlessBuildTests.UserName));

        var build = project.Build();

        build.AssertSucceeded();
        var lines = ImageFiles.ReadFile(Path.Combine(project.OutputDirectory(), "escape.raw"), "/escape-probe")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        string[] denied =
        [
            "mknod-block-device", "mknod-char-device", "write-proc-sys", "mount", "chroot", "sethostname",
            "device-node-in-tree", "cap_sys_module", "cap_sys_rawio", "cap_sys_admin", "cap_sys_boot", "cap_mknod",
        ];
        if (File.Exists("/proc/sysrq-trigger"))
            denied = [.. denied, "write-sysrq-trigger"];
        foreach (var what in denied)
            Assert.AreEqual("denied", lines.GetValueOrDefault(what), $"{what} from a chroot script");
        Assert.AreEqual("allowed", lines["chown"], "package scripts still change owners");
        HostSnapshot.Take().AssertUnchangedSince(before);
    }

    // Rootless: the escape probe above covers the user-namespace sandbox; a row of its own here cost the suite half a minute.
    [TestMethod]
    [DataRow(false, DisplayName = "as root")]
    public void ChrootScriptReplacesTmpWithLinkToHostFolder_FailsWithDIB5050_AndHostFolderUntouched(bool rootless)
    {
        using var project = Project("tmplink", "link-planter", """<ElementEnvironment Include="DIB_PROBE_LINK" Value="/tmp" />""");
        var hostFolder = HostFolder(project);
        Directory.CreateDirectory(Path.Combine(hostFolder, "in_target.d"));
        Directory.CreateDirectory(Path.Combine(hostFolder, "dib-sandbox"));
        if (rootless)
        {
            RootlessBuildTests.ForUser(project, UnprivilegedUser.Ensure(RootlessBuildTests.UserName));
            // The host's files stay root's, as a real host's are.
            Command.RunChecked("chown", "-R", "0:0", hostFolder);
        }

        var build = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB5050" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "/tree/tmp in the image tree is a symbolic link to");
        CollectionAssert.AreEquivalent(new[] { "dib-sandbox", "in_target.d", "keep.txt" },
            Directory.EnumerateFileSystemEntries(hostFolder).Select(Path.GetFileName).ToArray(),
            "the sandbox neither removed nor created anything in the host folder");
        Assert.AreEqual(KeepText, File.ReadAllText(Path.Combine(hostFolder, "keep.txt")));
    }

    [TestMethod]
    public void ChrootScriptReplacesManifestFolderWithLinkToHostFolder_CleanupFailsNamingIt_HostFolderUntouched()
    {
        using var project = Project("manifestlink", "link-planter", """
            <Element Include="manifests" />
            <ElementEnvironment Include="DIB_PROBE_LINK" Value="/etc/dib-manifests" />
            """);
        var hostFolder = HostFolder(project);
        var keep = Path.Combine(hostFolder, "keep.txt");
        File.SetUnixFileMode(keep, (UnixFileMode)0b110_100_100);

        var build = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB2101" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Output, $"manifests: refusing {project.IntermediateDirectory()}/dib/tree/etc/dib-manifests: it resolves to {hostFolder}");
        CollectionAssert.AreEqual(new[] { "keep.txt" }, Directory.EnumerateFileSystemEntries(hostFolder).Select(Path.GetFileName).ToArray(),
            "no dib_environment written into the host folder");
        Assert.AreEqual((UnixFileMode)0b110_100_100, File.GetUnixFileMode(keep), "the host file keeps its mode (no chmod 600)");
    }

    [TestMethod]
    public void StaticFileThroughAbsoluteLinkInTree_LandsInsideTheTree_HostFolderUntouched()
    {
        using var project = Project("staticlink", "static-link-probe");
        var hostFolder = HostFolder(project);

        var build = project.Build();

        build.AssertSucceeded();
        CollectionAssert.AreEqual(new[] { "keep.txt" }, Directory.EnumerateFileSystemEntries(hostFolder).Select(Path.GetFileName).ToArray(),
            "install-static wrote nothing into the host folder");
        // The link is absolute, so in the chroot it means <tree>/<host folder>: a later script found the file there.
        StringAssert.Contains(ImageFiles.ReadFile(Path.Combine(project.OutputDirectory(), "staticlink.raw"), "/static-link-landed.txt"),
            "Written by install-static");
    }

    [TestMethod]
    public void SourceRepositoryFileThroughLinkOutOfTree_FailsNamingThePath_HostFolderUntouched()
    {
        using var project = Project("sourcelink", "source-link-probe");
        var hostFolder = HostFolder(project);
        var source = Path.Combine(project.Directory, "fetched.txt");
        File.WriteAllText(source, "a file fetched by source-repositories");

        var build = project.Build($"-p:_ProbeSource={source}");

        CollectionAssert.AreEqual(new[] { "DIB2101" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Errors[0], "source-repositories");
        StringAssert.Contains(build.Output, $"resolves to {hostFolder}/fetched.txt, outside the image's tree");
        CollectionAssert.AreEqual(new[] { "keep.txt" }, Directory.EnumerateFileSystemEntries(hostFolder).Select(Path.GetFileName).ToArray(),
            "source-repositories wrote nothing into the host folder");
    }

    private const string KeepText = "a file of the host";

    private static ImageProject Project(string name, string element, string extraItems = "")
    {
        var project = ImageProject.Create(name, $"""
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup>
              <Element Include="{element}" />
              <Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_HOST_DIR" Value="$(MSBuildProjectDirectory)/host-side" />
              <ElementEnvironment Include="DIB_REPOLOCATION_probe_file" Value="$(_ProbeSource)" Condition="'$(_ProbeSource)' != ''" />
              {extraItems}
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement(element);
        return project;
    }

    /// <summary>The folder that stands for the host's files: outside the tree, with one file in it.</summary>
    private static string HostFolder(ImageProject project)
    {
        var folder = Directory.CreateDirectory(Path.Combine(project.Directory, "host-side")).FullName;
        File.WriteAllText(Path.Combine(folder, "keep.txt"), KeepText);
        return folder;
    }
}
