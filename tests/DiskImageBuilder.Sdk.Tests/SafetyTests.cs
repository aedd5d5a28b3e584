using System.Diagnostics;
using System.IO.Compression;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The host is never touched and nothing is left behind: a build cancelled (Ctrl+C) or killed
/// (kill -9) in a chroot phase, a full disk, two builds at once, and secrets in the environment.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class SafetyTests
{
    private const string SlowScriptStarted = "slow script started";

    [TestMethod]
    [DataRow(false, DisplayName = "as root")]
    [DataRow(true, DisplayName = "as an ordinary user (rootless)")]
    public void Kill9_DuringChrootPhase_NextBuildStopsLeftoversAndSucceeds(bool rootless)
    {
        var before = HostSnapshot.Take();
        using var project = SlowProject(rootless ? "kill9-rootless" : "kill9", rootless);
        using (var build = new RunningBuild(project))
        {
            build.WaitForOutput(SlowScriptStarted, TimeSpan.FromMinutes(2));
            build.Signal("KILL");
            build.WaitForExit(TimeSpan.FromSeconds(30));
        }
        // Mounts lived in the killed build's own mount namespace: none is visible on the host.
        AssertNoMountsUnder(project.Directory);

        MakeSlowScriptQuick(project);
        var next = project.Build();
        next.AssertSucceeded();
        StringAssert.Contains(next.Output, "was interrupted; starting again from an empty tree");
        Assert.IsFalse(SandboxRunning(project), "the orphaned script sandbox is stopped by the next build");
        if (rootless)
        {
            // The tree holds folders of the image's other owners, which only the build's user namespace may remove.
            var user = UnprivilegedUser.Ensure(RootlessBuildTests.UserName);
            var privateFolder = Path.Combine(project.IntermediateDirectory(), "dib", "tree", "srv", "private");
            Assert.AreNotEqual(0, Command.Run(user.RunUnder[0], [.. user.RunUnder.Skip(1), "ls", privateFolder]).ExitCode,
                "the user itself may not enter the folder");
            project.Run("clean").AssertSucceeded();
            Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib")), "dotnet clean removed the work folder");
        }
        HostSnapshot.Take().AssertUnchangedSince(before);
    }

    [TestMethod]
    public void SameProjectTwiceAtOnce_SecondFailsFastWithDIB6001_FirstUnharmed()
    {
        using var project = SlowProject("twice");
        using var first = new RunningBuild(project);
        first.WaitForOutput(SlowScriptStarted, TimeSpan.FromMinutes(2));

        var watch = Stopwatch.StartNew();
        var second = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB6001" }, second.ErrorCodes.ToArray(), second.Output);
        Assert.IsLessThan(TimeSpan.FromSeconds(30), watch.Elapsed, "the second build fails fast");
        Assert.IsTrue(SandboxRunning(project), "the first build's script is still running");
        first.Signal("INT");
        first.WaitForExit(TimeSpan.FromSeconds(60));
    }

    [TestMethod]
    public void TwoDifferentProjectsAtOnce_BothSucceed()
    {
        using var a = TinyProject("both-a");
        using var b = TinyProject("both-b");
        var builds = new[] { a, b }.Select(p => Task.Run(() => p.Build())).ToArray();
        Task.WaitAll(builds);
        builds[0].Result.AssertSucceeded();
        builds[1].Result.AssertSucceeded();
        ImageFiles.AssertFilesystemClean(Path.Combine(a.OutputDirectory(), "both-a.raw"));
        ImageFiles.AssertFilesystemClean(Path.Combine(b.OutputDirectory(), "both-b.raw"));
    }

    [TestMethod]
    public void DiskFull_FailsWithDIB5003NamingThePath_AndLeavesNoOutput()
    {
        using var project = ImageProject.Create("full", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="fill-disk" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("fill-disk");
        // The project's folder becomes a 64 MiB tmpfs inside a private mount namespace: the build
        // fills it, and the mount disappears with the namespace whatever happens.
        var script = $"""
            set -e
            copy=$(mktemp -d)
            cp -a {project.Directory}/. "$copy"
            mount -t tmpfs -o size=64m dib-full {project.Directory}
            cp -a "$copy"/. {project.Directory}
            rm -rf "$copy"
            cd {project.Directory}
            dotnet build full.imgproj -nr:false -v:normal > build-full.log 2>&1 || true
            cat build-full.log
            ls bin/Debug/amd64 2>/dev/null || true
            """;
        var result = Command.Run("unshare", ["--mount", "--propagation", "private", "/bin/bash", "-c", script],
            timeout: TimeSpan.FromMinutes(5), environment: new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = null,
                ["DiskImageCacheDir"] = ImageProject.CacheDirectory,
            });

        var build = new BuildResult(1, result.Output, "");
        CollectionAssert.AreEqual(new[] { "DIB5003" }, build.ErrorCodes.ToArray(), result.Output);
        StringAssert.Contains(build.Errors[0], Path.Combine(project.Directory, "obj"));
        StringAssert.Contains(build.Errors[0], "MiB free");
        Assert.DoesNotContain("full.raw", result.Output.Split('\n').Last(l => l.Length > 0), "no output file");
        AssertNoMountsUnder(project.Directory);
    }

    [TestMethod]
    public void Secrets_FromEnvironmentAndSecretItems_NeverInLogsOnlyWhereTheElementPutsThem()
    {
        const string password = "pw-9f3b1c7e-never-log-me";
        const string apiToken = "tok-51aa0d2e-never-log-me";
        using var project = ImageProject.Create("secrets", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup>
              <Element Include="secret-probe" />
              <Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_API" FromEnvironment="PROBE_API_TOKEN" Secret="true" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("secret-probe");
        var result = Command.Run("dotnet", ["build", project.ProjectPath, "-nr:false", "-v:diag", $"-bl:{project.Directory}/secrets.binlog"],
            project.Directory, TimeSpan.FromMinutes(5), new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = null,
                ["DiskImageCacheDir"] = ImageProject.CacheDirectory,
                ["DIB_PROBE_PASSWORD"] = password,
                ["PROBE_API_TOKEN"] = apiToken,
            });
        Assert.AreEqual(0, result.ExitCode, result.Output);

        var seen = ImageFiles.ReadFile(Path.Combine(project.OutputDirectory(), "secrets.raw"), "/secrets-seen");
        StringAssert.Contains(seen, password, "the element receives the secret from the environment");
        StringAssert.Contains(seen, apiToken, "and the Secret item's value");
        foreach (var secret in new[] { password, apiToken })
        {
            Assert.IsFalse(result.Output.Contains(secret, StringComparison.Ordinal), "the diagnostic build log holds a secret");
            Assert.IsFalse(ReadBinaryLog(Path.Combine(project.Directory, "secrets.binlog")).Contains(secret, StringComparison.Ordinal),
                "the binary log holds a secret");
            // The disk itself holds the secret, where the element put it; every other intermediate file must not.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(project.IntermediateDirectory(), "dib"), "*", SearchOption.AllDirectories)
                         .Where(f => !f.EndsWith(".raw", StringComparison.Ordinal) && !f.Contains("/dib/tree/", StringComparison.Ordinal)))
                Assert.IsFalse(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), $"{file} holds a secret");
        }
        foreach (var file in Directory.EnumerateFiles(Path.Combine(project.OutputDirectory(), "secrets.manifests"), "*", SearchOption.AllDirectories))
        {
            Assert.IsFalse(File.ReadAllText(file).Contains(password, StringComparison.Ordinal), $"{file} holds the password");
            Assert.IsFalse(File.ReadAllText(file).Contains(apiToken, StringComparison.Ordinal), $"{file} holds the token");
        }
        StringAssert.Contains(File.ReadAllText(Path.Combine(project.OutputDirectory(), "secrets.manifests", "environment.txt")),
            "DIB_PROBE_API=********", "a Secret item is listed, masked");
        Assert.IsFalse(File.Exists(Path.Combine(project.IntermediateDirectory(), "dib", "build", "sandbox", "env")),
            "the environment file of the scripts is deleted after each script");
    }

    // Rootless: Kill9 covers the user-namespace build's stop and recovery; a row of its own here cost the suite half a minute.
    [TestMethod]
    [DataRow(false, DisplayName = "as root")]
    public void CtrlC_DuringChrootPhase_StopsWithin5SecondsAndNextBuildStartsClean(bool rootless)
    {
        // How fast a cancelled build stops is measured with no fixture build beside it: the queue is paused for this test
        // only (last in the class, so that the others run beside the fixture builds).
        BackgroundBuilds.Pause();
        try
        {
            CancelAndBuildAgain(rootless);
        }
        finally
        {
            BackgroundBuilds.Resume();
        }
    }

    private static void CancelAndBuildAgain(bool rootless)
    {
        var before = HostSnapshot.Take();
        using var project = SlowProject(rootless ? "cancel-rootless" : "cancel", rootless);
        using (var build = new RunningBuild(project))
        {
            build.WaitForOutput(SlowScriptStarted, TimeSpan.FromMinutes(2));
            var watch = Stopwatch.StartNew();
            build.Signal("INT");
            WaitUntil(() => !SandboxRunning(project), TimeSpan.FromSeconds(5),
                "the running script must stop within 5 s of Ctrl+C");
            Console.WriteLine($"script stopped {watch.Elapsed.TotalSeconds:F1} s after SIGINT");
            Assert.AreNotEqual(0, build.WaitForExit(TimeSpan.FromSeconds(60)), "a cancelled build fails");
        }
        HostSnapshot.Take().AssertUnchangedSince(before);

        MakeSlowScriptQuick(project);
        var next = project.Build();
        next.AssertSucceeded();
        StringAssert.Contains(next.Output, "was interrupted; starting again from an empty tree");
    }

    /// <summary>A project whose install.d sleeps; with <paramref name="rootless"/>, built by RootlessBuildTests' ordinary user.</summary>
    private static ImageProject SlowProject(string name, bool rootless = false)
    {
        var project = ImageProject.Create(name, """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="slow-script" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("slow-script");
        if (!rootless)
            return project;
        // Before the sleep, a folder the user may not enter or empty itself (mode 0700, another owner of the image): the
        // next build's recovery and dotnet clean remove it through the build's user namespace.
        var script = Path.Combine(project.Directory, "elements", "private-folder", "install.d", "40-private-folder");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "#!/bin/bash\nset -eu\ninstall -d -m 0700 -o 4321 -g 4321 /srv/private\necho kept > /srv/private/file\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        project.AddToProject("<ItemGroup><Element Include=\"private-folder\" /></ItemGroup>");
        return RootlessBuildTests.ForUser(project, UnprivilegedUser.Ensure(RootlessBuildTests.UserName));
    }

    private static ImageProject TinyProject(string name)
    {
        var project = ImageProject.Create(name, """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        return project;
    }

    private static void MakeSlowScriptQuick(ImageProject project) =>
        File.WriteAllText(Path.Combine(project.Directory, "elements", "slow-script", "install.d", "50-sleeps"),
            "#!/bin/bash\necho quick now\n");

    /// <summary>Whether a script sandbox of this project still runs (its command line names the project).</summary>
    private static bool SandboxRunning(ImageProject project) =>
        Command.Run("pgrep", ["-f", $"{project.Directory}/obj/.*/sandbox"]).ExitCode == 0;

    private static void AssertNoMountsUnder(string directory)
    {
        var mounts = File.ReadAllLines("/proc/self/mounts").Where(l => l.Contains(directory, StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(mounts, "mounts left on the host:\n" + string.Join('\n', mounts));
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout, string message)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
                Assert.Fail(message);
            Thread.Sleep(100);
        }
    }

    /// <summary>The binary log's text: a gzip stream of records whose strings are stored plainly.</summary>
    private static string ReadBinaryLog(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return System.Text.Encoding.UTF8.GetString(memory.ToArray());
    }
}
