using System.Diagnostics;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Elements;

/// <summary>
/// The ubuntu element's default cloud image folder: taken from the server the host's ubuntu-cloudimg-query
/// (cloud-image-utils) asks, so that the card's <c>&lt;Element Include="ubuntu" /&gt;</c> needs no variable and the
/// SDK holds no server name. The tool's own choice of server is observed by letting it try to download with a
/// wget that only reports the URL.
/// </summary>
[TestClass]
public sealed class UbuntuCloudImagesDefaultTests
{
    private static string Library() => SdkElementsFolder.File("ubuntu", "ubuntu-lib", "cloud-images.bash");

    private static (int ExitCode, string Output, string Error) Bash(string script, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Remove("UBUNTU_CLOUDIMG_QUERY_BASEURL");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(60_000), "bash did not finish within 60 s");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string DefaultFolder(string release, IDictionary<string, string> environment)
    {
        var result = Bash($"set -eu; source '{Library()}'; DIB_RELEASE={release} ubuntu_default_cloud_images", environment);
        Assert.AreEqual(0, result.ExitCode, result.Error);
        return result.Output.Trim();
    }

    /// <summary>The server ubuntu-cloudimg-query itself asks: the URL it tries first, before "/query/".</summary>
    private static string ServerTheToolAsks(string home)
    {
        var tool = HostTool.Require("ubuntu-cloudimg-query", "cloud-image-utils");
        var fakeBin = Directory.CreateDirectory(Path.Combine(home, "bin")).FullName;
        File.WriteAllText(Path.Combine(fakeBin, "wget"), "#!/bin/sh\necho \"$@\" >> \"$HOME/wget-urls\"\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(fakeBin, "wget"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Bash($"'{tool}' xenial amd64 || true", new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["PATH"] = fakeBin + ":" + Environment.GetEnvironmentVariable("PATH"),
        });
        var urls = File.ReadAllText(Path.Combine(home, "wget-urls"));
        var first = urls.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).First(word => word.Contains("://", StringComparison.Ordinal));
        var query = first.IndexOf("/query/", StringComparison.Ordinal);
        Assert.IsGreaterThan(0, query, "the tool asks a /query/ URL: " + first);
        return first[..query];
    }

    [TestMethod]
    public void Default_IsTheReleaseFolderOnTheServerUbuntuCloudimgQueryAsks()
    {
        var home = Directory.CreateTempSubdirectory("dib-ubuntu-query-").FullName;
        try
        {
            var server = ServerTheToolAsks(home);
            StringAssert.StartsWith(server, "https://");
            Assert.AreEqual(server + "/noble/current", DefaultFolder("noble", new Dictionary<string, string>()));
            Assert.AreEqual(server + "/jammy/current", DefaultFolder("jammy", new Dictionary<string, string>()));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [TestMethod]
    public void Default_FollowsTheToolsOwnOverride()
    {
        HostTool.Require("ubuntu-cloudimg-query", "cloud-image-utils");
        Assert.AreEqual("http://127.0.0.1:8080/noble/current",
            DefaultFolder("noble", new Dictionary<string, string> { ["UBUNTU_CLOUDIMG_QUERY_BASEURL"] = "http://127.0.0.1:8080/query/" }));
    }

    [TestMethod]
    public void Default_IsEmptyWithoutTheTool_SoTheElementStopsWithDIB2405()
    {
        var empty = Directory.CreateTempSubdirectory("dib-no-tools-").FullName;
        try
        {
            Assert.AreEqual("", DefaultFolder("noble", new Dictionary<string, string> { ["PATH"] = empty }));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
