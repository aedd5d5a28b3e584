using System.Diagnostics;
using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class HostSudoShimTests
{
    private static (int ExitCode, string Output, string Error) Sudo(string hooks, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(HostSudoShim.DirectoryFor(hooks), "sudo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DIB_SHIM_TEST"] = "kept";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }

    private static string Hooks()
    {
        var hooks = Directory.CreateTempSubdirectory("dib-shim-").FullName;
        HostSudoShim.Ensure(hooks);
        return hooks;
    }

    [TestMethod]
    public void Shim_WithDiskimageBuilderOptions_RunsTheCommandAsItIsKeepingTheEnvironment()
    {
        var hooks = Hooks();
        try
        {
            var result = Sudo(hooks, "-E", "-n", "-H", "sh", "-c", "echo \"$DIB_SHIM_TEST\" \"$0\"", "arg0");

            Assert.AreEqual(0, result.ExitCode, result.Error);
            Assert.AreEqual("kept arg0\n", result.Output);
        }
        finally
        {
            Directory.Delete(hooks, true);
        }
    }

    [TestMethod]
    public void Shim_LeadingAssignmentsAndUserRoot_SetVariablesForTheCommand()
    {
        var hooks = Hooks();
        try
        {
            var result = Sudo(hooks, "-u", "root", "--", "FOO=bar", "sh", "-c", "echo \"$FOO\"");

            Assert.AreEqual(0, result.ExitCode, result.Error);
            Assert.AreEqual("bar\n", result.Output);
        }
        finally
        {
            Directory.Delete(hooks, true);
        }
    }

    [TestMethod]
    public void Shim_CommandExitCode_IsSudosExitCode()
    {
        var hooks = Hooks();
        try
        {
            Assert.AreEqual(3, Sudo(hooks, "-E", "sh", "-c", "exit 3").ExitCode);
        }
        finally
        {
            Directory.Delete(hooks, true);
        }
    }

    [TestMethod]
    public void Shim_UnknownOption_FailsNamingIt()
    {
        var hooks = Hooks();
        try
        {
            var result = Sudo(hooks, "-l", "true");

            Assert.AreEqual(1, result.ExitCode);
            StringAssert.Contains(result.Error, "option '-l' is not supported");
        }
        finally
        {
            Directory.Delete(hooks, true);
        }
    }

    [TestMethod]
    public void Ensure_WritesAnExecutableShimOnce()
    {
        var hooks = Hooks();
        try
        {
            var path = Path.Combine(HostSudoShim.DirectoryFor(hooks), "sudo");
            var written = File.GetLastWriteTimeUtc(path);
            Thread.Sleep(20);
            HostSudoShim.Ensure(hooks);

            Assert.AreEqual(written, File.GetLastWriteTimeUtc(path), "an unchanged shim is not rewritten");
            Assert.IsTrue(File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute));
        }
        finally
        {
            Directory.Delete(hooks, true);
        }
    }

    [TestMethod]
    public void Environment_HostScriptsFindTheShimFirst_ChrootScriptsDoNot()
    {
        var context = new BuildContext
        {
            TreeDir = "/w/tree", HooksDir = "/w/hooks", BuildDir = "/w", ImageCacheDir = "/c", ImageName = "x",
            Arch = "amd64", Elements = ["debootstrap"], ElementsPath = "",
        };

        StringAssert.StartsWith(PhaseEnvironment.For(new PhaseInfo("root.d", false), context)["PATH"], "/w/hooks/.dib-host-bin:/usr/local/sbin:");
        Assert.IsFalse(PhaseEnvironment.For(new PhaseInfo("install.d", true), context)["PATH"].Contains(".dib-host-bin", StringComparison.Ordinal));
    }
}
