using System.Text.RegularExpressions;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Builds without root: an ordinary user the test creates (with a subordinate id range, as README's "Building without
/// root" asks) builds, with the caches of its own home, two projects that root also builds in this run: the sample
/// (DebianVmTests' reproducibility rebuild, which finds every output format byte for byte the root build's) and the EFI
/// layout with a dev user and files of many owners (EfiLayoutTests), whose owners, modes and capabilities are compared
/// here file by file, and which boots with UEFI (the sample's disks are the root build's bytes, booted by DebianVmTests). A user without subordinate ids is stopped before any work.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
[TestCategory(TestCategories.Network)]
public sealed class RootlessBuildTests
{
    internal const string UserName = "dib-rootless";

    private static Builds s_builds = null!;

    internal sealed record Builds(UnprivilegedUser User, ImageProject Efi, BuildResult EfiBuild);

    /// <summary>The EFI project's build as the user; may start in the background. The sample's is DebianVmTests.RebuildFixture.</summary>
    internal static readonly FixtureBuild<Builds> Fixture = new("rootless-efi-vm", () =>
    {
        var user = UnprivilegedUser.Ensure(UserName);
        var efi = ForUser(EfiLayoutTests.CreateProject(), user);
        return new Builds(user, efi, efi.Build());
    });

    private static (ImageProject Project, BuildResult Build) Sample => DebianVmTests.RebuildFixture.Result;

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_builds = Fixture.Result;
    }

    [ClassCleanup]
    public static void Cleanup() => s_builds?.Efi.Dispose();

    [TestMethod]
    public void Build_AsAnOrdinaryUser_SaysItRunsRootlessAndKeepsItsCachesInItsHome()
    {
        Sample.Build.AssertSucceeded();
        s_builds.EfiBuild.AssertSucceeded();
        foreach (var build in new[] { Sample.Build, s_builds.EfiBuild })
            StringAssert.Contains(build.Output, $"Privileges: rootless (user {UserName}, uid {s_builds.User.Uid})");
        StringAssert.Contains(EfiLayoutTests.Fixture.Result.Build.Output, "Privileges: root");
        // The user's own caches, in its home (DiskImageCacheDir unset): its stage snapshots and bootstrap are its own.
        var stages = Path.Combine(s_builds.User.Home, ".cache", "diskimagebuilder", "stages");
        var snapshots = Directory.EnumerateFiles(stages, "*.tar.zst").ToList();
        Assert.IsNotEmpty(snapshots, $"the stage cache in {stages}");
        var uid = s_builds.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(snapshots.All(f => Command.StandardOutput("stat", "-c", "%u", f).Trim() == uid), "every stage snapshot belongs to the user");
    }

    [TestMethod]
    public void Efi_OwnersModesAndCapabilities_AreTheRootBuilds()
    {
        s_builds.EfiBuild.AssertSucceeded();
        var root = EfiLayoutTests.Fixture.Result;
        root.Build.AssertSucceeded();
        string[] paths =
        [
            "/", "/etc/shadow", "/etc/gshadow", "/usr/bin/passwd", "/usr/bin/ping", "/usr/bin/sudo", "/var/log/journal",
            "/home/devuser", "/home/devuser/.bashrc", "/etc/sudoers.d/devuser", "/var/cache/apt/archives/partial", "/tmp", "/root",
            "/srv/owners-probe/setuid-file", "/srv/owners-probe/sticky-setgid-folder", "/srv/owners-probe/sticky-setgid-folder/private-file",
            "/srv/owners-probe/with-capability",
        ];
        var rootless = Path.Combine(s_builds.Efi.OutputDirectory(), "efi-vm.raw");
        var rooted = Path.Combine(root.Project.OutputDirectory(), "efi-vm.raw");
        var differences = paths
            .Select(p => (Path: p, Rootless: Describe(rootless, p), Root: Describe(rooted, p)))
            .Where(d => d.Rootless != d.Root)
            .Select(d => $"{d.Path}: root build {d.Root}, rootless build {d.Rootless}")
            .ToList();
        Assert.IsEmpty(differences, string.Join('\n', differences));
        // The probe's far owner and bits, and the capabilities, are really there (not absent in both).
        StringAssert.StartsWith(Describe(rootless, "/srv/owners-probe/setuid-file"), "mode 104750 uid 1234 gid 2345");
        StringAssert.Contains(Describe(rootless, "/usr/bin/ping"), "security.capability");
        StringAssert.Contains(Describe(rootless, "/srv/owners-probe/with-capability"), "security.capability");
    }

    [TestMethod]
    [TestCategory(TestCategories.Qemu)]
    public void Boot_EfiImageWithUefi_ReachesTheLoginPrompt()
    {
        // The rootless sample is not booted again: DebianVmTests finds its disks byte for byte the root build's, which boots.
        s_builds.EfiBuild.AssertSucceeded();
        QemuBoot.AssertReachesLogin(Path.Combine(s_builds.Efi.OutputDirectory(), "efi-vm.raw"), "raw", TimeSpan.FromSeconds(300),
            Path.Combine(s_builds.Efi.Directory, "boot-uefi-console.log"), uefi: true);
    }

    [TestMethod]
    public void Build_ByAUserWithoutSubordinateIds_StopsBeforeAnyWorkNamingTheFix()
    {
        var user = UnprivilegedUser.Ensure("dib-rootless-noids", withSubordinateIds: false);
        using var project = ForUser(ImageProject.Create("no-subids", "<ItemGroup><Element Include=\"debian-minimal\" /><Element Include=\"vm\" /></ItemGroup>"), user);
        var build = project.Build();
        CollectionAssert.AreEqual(new[] { "DIB5008" }, build.ErrorCodes.ToArray(), build.Output);
        StringAssert.Contains(build.Output, $"usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {user.Name}");
        Assert.IsFalse(Directory.Exists(project.IntermediateDirectory() + "/dib/tree"), "no tree was started");
    }

    /// <summary>
    /// Gives the project to <paramref name="user"/> and runs its builds as that user, with the user's own NuGet package
    /// folder and, as for any user, the caches in its home (DiskImageCacheDir unset), seeded with the run's downloaded
    /// packages and kept bootstraps so that the build does not make them again.
    /// </summary>
    internal static ImageProject ForUser(ImageProject project, UnprivilegedUser user)
    {
        var config = Path.Combine(project.Directory, "nuget.config");
        File.WriteAllText(config, Regex.Replace(File.ReadAllText(config), "globalPackagesFolder\" value=\"[^\"]*\"",
            $"globalPackagesFolder\" value=\"{Path.Combine(user.Home, ".nuget", "packages")}\""));
        project.Environment["DiskImageCacheDir"] = null;
        // The run's downloaded packages and kept bootstraps (a rootless bootstrap is still made by DebianVmTests' rebuild,
        // which keeps none), so that the user's builds fetch and bootstrap nothing the run already has.
        foreach (var cache in new[] { Path.Combine("apt", "debian-bookworm-amd64"), "debootstrap" })
        {
            var shared = Path.Combine(ImageProject.CacheDirectory, cache);
            var own = Path.Combine(user.Home, ".cache", "diskimagebuilder", cache);
            if (!Directory.Exists(shared))
                continue;
            Directory.CreateDirectory(own);
            Command.RunChecked("cp", "-a", "-n", shared + "/.", own);
        }
        Directory.CreateDirectory(Path.Combine(user.Home, ".cache"));
        user.Own(Path.Combine(user.Home, ".cache"));
        user.Own(project.Directory);
        project.RunUnder = user.RunUnder;
        return project;
    }

    /// <summary>"mode M uid U gid G" and the extended attributes of <paramref name="path"/> in the image's root filesystem, read with debugfs.</summary>
    private static string Describe(string raw, string path)
    {
        var offset = ImageFiles.PartitionTable(raw).GetProperty("partitions")[2].GetProperty("start").GetInt64() * 512;
        var device = $"{raw}?offset={offset}";
        var stat = Command.StandardOutput("debugfs", "-R", $"stat {path}", device);
        var owner = Regex.Match(stat, @"Mode:\s+(\d+).*?\n.*?User:\s+(\d+)\s+Group:\s+(\d+)", RegexOptions.Singleline);
        var type = Regex.Match(stat, @"Type:\s+(\w+)");
        if (!owner.Success)
            return "missing";
        var xattrs = Command.StandardOutput("debugfs", "-R", $"ea_list {path}", device).Trim();
        return $"mode {(type.Value.Contains("directory") ? "4" : "10")}{owner.Groups[1].Value.TrimStart('0').PadLeft(4, '0')} uid {owner.Groups[2].Value} gid {owner.Groups[3].Value} {xattrs}";
    }

}
