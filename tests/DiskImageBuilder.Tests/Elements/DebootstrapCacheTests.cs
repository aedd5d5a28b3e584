using System.Diagnostics;

namespace DiskImageBuilder.Tests.Elements;

/// <summary>
/// The debootstrap element's bootstrap cache (DIB_DEBOOTSTRAP_CACHE, as in diskimage-builder): its functions run
/// in bash on the host as root.d runs them: the tarball's name changes with what the bootstrap reads, a kept tree
/// comes back with its owners, modes and links, and an old tarball is made again.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
public sealed class DebootstrapCacheTests
{
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("dib-debootstrap-cache-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private (int ExitCode, string Output, string Error) Bash(string script, Dictionary<string, string>? extra = null)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -eu; source '{SdkElementsFolder.File("debootstrap", "debootstrap-lib", "archive.bash")}'; {script}");
        foreach (var name in new[] { "DIB_DEBOOTSTRAP_CACHE", "DIB_OFFLINE", "DIB_DEBOOTSTRAP_CACHE_DAYS", "SOURCE_DATE_EPOCH" })
            start.Environment.Remove(name);
        start.Environment["DIB_IMAGE_CACHE"] = Path.Combine(_folder, "cache");
        start.Environment["DISTRO_NAME"] = "debian";
        start.Environment["DIB_RELEASE"] = "bookworm";
        start.Environment["ARCH"] = "amd64";
        start.Environment["DIB_DEBIAN_COMPONENTS"] = "main";
        foreach (var (name, value) in extra ?? [])
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(60_000), "bash did not finish within 60 s");
        return (process.ExitCode, output.Result.Trim(), error.Result.Trim());
    }

    private string Tarball(string include, string keyringText, Dictionary<string, string>? extra = null)
    {
        var keyring = Path.Combine(_folder, "keyring.gpg");
        File.WriteAllText(keyring, keyringText);
        var script = Path.Combine(_folder, "08-debootstrap");
        File.WriteAllText(script, "the bootstrap script\n");
        var result = Bash($"debootstrap_cached_tarball '' '{keyring}' '{include}' '{script}'", extra);
        Assert.AreEqual(0, result.ExitCode, result.Error);
        return result.Output;
    }

    private static readonly Dictionary<string, string> On = new() { ["DIB_DEBOOTSTRAP_CACHE"] = "1" };

    [TestMethod]
    public void Name_IsEmptyWhenOff_AndChangesWithWhatTheBootstrapReads()
    {
        Assert.AreEqual("", Tarball("", "key one"), "the cache is off unless DIB_DEBOOTSTRAP_CACHE=1");

        var plain = Tarball("", "key one", On);
        StringAssert.Matches(plain, new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(Path.Combine(_folder, "cache", "debootstrap", "debian-bookworm-amd64-")) + "[0-9a-f]{16}\\.tar$"));
        Assert.AreEqual(plain, Tarball("", "key one", On), "the same inputs name the same tarball");
        Assert.AreNotEqual(plain, Tarball("ubuntu-keyring", "key one", On), "DIB_DEBOOTSTRAP_INCLUDE is part of the name");
        Assert.AreNotEqual(plain, Tarball("", "key two", On), "the keyring's bytes are part of the name");
        Assert.AreNotEqual(plain, Tarball("", "key one", new Dictionary<string, string>(On) { ["ARCH"] = "arm64" }));
        Assert.AreNotEqual(plain, Tarball("", "key one", new Dictionary<string, string>(On) { ["DIB_DEBIAN_COMPONENTS"] = "main,contrib" }));
        // A bootstrap made with an epoch holds it (the password change day in /etc/shadow): a reproducible build must
        // not start from one made without it, as the suite's reproducibility test found.
        Assert.AreNotEqual(plain, Tarball("", "key one", new Dictionary<string, string>(On) { ["SOURCE_DATE_EPOCH"] = "1700000000" }));
        Assert.AreNotEqual("", Tarball("", "key one", new Dictionary<string, string> { ["DIB_OFFLINE"] = "1" }), "DIB_OFFLINE looks for one");
    }

    [TestMethod]
    public void StoreThenRestore_GivesBackOwnersModesAndLinks()
    {
        var tree = Directory.CreateDirectory(Path.Combine(_folder, "tree")).FullName;
        var back = Directory.CreateDirectory(Path.Combine(_folder, "back")).FullName;
        var tarball = Path.Combine(_folder, "cache", "debootstrap", "t.tar");
        var result = Bash($"""
            cd '{tree}'; mkdir -p etc usr/bin; echo data > etc/file; chown 1234:2345 etc/file; chmod 0640 etc/file
            echo tool > usr/bin/tool; chmod 4755 usr/bin/tool; ln -s ../etc/file usr/link; ln etc/file etc/hardlink
            debootstrap_cache_store '{tree}' '{tarball}'
            debootstrap_cache_restore '{tarball}' '{back}'
            cd '{back}'; stat -c '%n %u:%g %a %h' etc/file usr/bin/tool; readlink usr/link
            """, On);

        Assert.AreEqual(0, result.ExitCode, result.Error);
        StringAssert.Contains(result.Output, "Bootstrap kept for the next build: " + tarball);
        StringAssert.Contains(result.Output, "etc/file 1234:2345 640 2", "owner, mode and the hard link come back");
        StringAssert.Contains(result.Output, "usr/bin/tool 0:0 4755 1", "the setuid bit comes back");
        StringAssert.EndsWith(result.Output, "../etc/file");
        Assert.IsFalse(Directory.EnumerateFiles(Path.GetDirectoryName(tarball)!).Any(f => f.Contains(".partial.", StringComparison.Ordinal)),
            "no partial tarball is left");
    }

    [TestMethod]
    public void Usable_OnlyWhenYoungerThanTheDays_AnyAgeWhenOffline_AndBadDaysIsDib2351()
    {
        var tarball = Path.Combine(_folder, "kept.tar");
        File.WriteAllText(tarball, "");
        Assert.AreEqual(0, Bash($"debootstrap_cache_usable '{tarball}'").ExitCode, "a new tarball is used");
        File.SetLastWriteTimeUtc(tarball, DateTime.UtcNow.AddDays(-8));
        Assert.AreNotEqual(0, Bash($"debootstrap_cache_usable '{tarball}'").ExitCode, "one older than 7 days is made again");
        Assert.AreEqual(0, Bash($"debootstrap_cache_usable '{tarball}'", new() { ["DIB_DEBOOTSTRAP_CACHE_DAYS"] = "9" }).ExitCode);
        Assert.AreEqual(0, Bash($"debootstrap_cache_usable '{tarball}'", new() { ["DIB_OFFLINE"] = "1" }).ExitCode);
        Assert.AreNotEqual(0, Bash($"debootstrap_cache_usable '{Path.Combine(_folder, "missing.tar")}'").ExitCode);

        var bad = Bash($"debootstrap_cache_usable '{tarball}'", new() { ["DIB_DEBOOTSTRAP_CACHE_DAYS"] = "a week" });
        Assert.AreNotEqual(0, bad.ExitCode);
        StringAssert.Contains(bad.Error, "DIB2351: debootstrap: DIB_DEBOOTSTRAP_CACHE_DAYS='a week' is not a whole number of days");
    }
}
