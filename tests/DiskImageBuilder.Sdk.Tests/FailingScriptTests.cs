using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>A failing element script: one coded error with everything needed to fix it, and a clean host.</summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class FailingScriptTests
{
    [TestMethod]
    public void Build_ScriptExitsNonZero_FailsWithOneErrorNamingElementPhaseScriptAndExitCode()
    {
        var before = HostSnapshot.Take();
        using var project = ImageProject.Create("failing", """
            <PropertyGroup><ImageFormats>raw</ImageFormats></PropertyGroup>
            <ItemGroup>
              <ElementsPath Include="elements" />
              <Element Include="failing-script" />
              <Element Include="block-device-mbr" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("failing-script");

        var result = project.Build();

        Assert.AreNotEqual(0, result.ExitCode, "dotnet build must exit non-zero");
        CollectionAssert.AreEqual(new[] { "DIB2101" }, result.ErrorCodes.ToArray(), result.Output);
        var first = result.Errors.First();
        var script = Path.Combine(project.Directory, "elements", "failing-script", "install.d", "50-fails-on-purpose");
        StringAssert.Contains(first, "'failing-script'");
        StringAssert.Contains(first, "install.d");
        StringAssert.Contains(first, script);
        StringAssert.Contains(first, "exited with code 3");
        StringAssert.Contains(result.Output, "the last words of 50-fails-on-purpose", "the error shows the script's last output");
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory(), "failing.raw")), "no image is written");
        HostSnapshot.Take().AssertUnchangedSince(before);
        var leftovers = Command.Run("pgrep", ["-a", "-f", $"{project.Directory}/.*(50-fails-on-purpose|dib-chroot)"]);
        Assert.AreEqual(1, leftovers.ExitCode, "no process may be left behind:\n" + leftovers.Output);
    }

    [TestMethod]
    public void Build_BreakAfterError_PrintsACommandThatEntersTheFailedScriptsChroot()
    {
        using var project = ImageProject.Create("break", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><DiskImageBreak>after-error</DiskImageBreak></PropertyGroup>
            <ItemGroup>
              <ElementsPath Include="elements" />
              <Element Include="failing-script" />
              <Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_BREAK_PROBE" Value="seen-in-shell" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("failing-script");

        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB2101" }, result.ErrorCodes.ToArray(), result.Output);
        var command = result.Lines().Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("unshare ", StringComparison.Ordinal));
        Assert.IsNotNull(command, "the build prints the command that enters the chroot:\n" + result.Output);
        var before = HostSnapshot.Take();
        var shell = Command.Run("/bin/bash", ["-c", command + " <<'EOS'\ncat /etc/hostname; echo \"probe=$DIB_BREAK_PROBE\"; ls /tmp/in_target.d\nEOS"]);
        Assert.AreEqual(0, shell.ExitCode, shell.Output);
        StringAssert.Contains(shell.Output, "tiny", "the shell runs inside the kept tree");
        StringAssert.Contains(shell.Output, "probe=seen-in-shell", "with the failed script's environment");
        StringAssert.Contains(shell.Output, "install.d", "and the merged hooks mounted");
        HostSnapshot.Take().AssertUnchangedSince(before);
    }
}
