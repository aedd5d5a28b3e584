using System.Security.Cryptography;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Reproducible images: the sample built a second time, cold (no stage cache, a real bootstrap; the download cache is
/// warm), in another folder, under another hostname and time zone, minutes later, and by an ordinary user without root
/// (RootlessBuildTests' user, in a user namespace), gives the same bytes as the class's root build, with the same
/// SOURCE_DATE_EPOCH. On a difference the test names the files of the tree that differ, and for the disks the first
/// differing bytes and the root filesystems' superblocks.
/// </summary>
public sealed partial class DebianVmTests
{
    private const string Epoch = "1700000000";

    internal static string[] ReproducibleArguments =>
        ["-p:ImageFormats=qcow2%3Braw%3Bvmdk%3Btar%3Boci", $"-p:SourceDateEpoch={Epoch}", "-p:DiskImageCache=false"];

    /// <summary>The formats that come out the same, byte for byte.</summary>
    private static readonly string[] IdenticalFormats = ["raw", "qcow2", "vmdk", "tar", "oci.tar"];

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The second build, in the background after the class's own (<see cref="BackgroundBuilds"/>) or when the test needs it.
    /// </summary>
    internal static readonly FixtureBuild<(ImageProject Project, BuildResult Build)> RebuildFixture = new("debian-vm-again", () =>
    {
        var user = UnprivilegedUser.Ensure(RootlessBuildTests.UserName);
        var again = RootlessBuildTests.ForUser(ImageProject.Create("debian-vm", "", copyFrom: Path.Combine(Repository.Samples, "debian-vm")), user);
        // The hostname is set as root, in a UTS namespace of the build's own; then setpriv becomes the user.
        again.RunUnder = ["unshare", "--uts", "sh", "-c", "hostname dib-reproducibility-check && exec \"$@\"", "unshare", .. user.RunUnder];
        again.Environment["TZ"] = "Pacific/Auckland";
        // A real bootstrap, not the run's cached one: the class's build may have started from that tarball.
        again.Environment["DIB_DEBOOTSTRAP_CACHE"] = "0";
        return (again, again.Build(ReproducibleArguments));
    });

    [TestMethod]
    public void Rebuild_ElsewhereUnderAnotherHostnameAndTimeZoneWithoutRoot_GivesTheSameBytesInEveryFormat()
    {
        s_build.AssertSucceeded();
        var (again, second) = RebuildFixture.Result;
        second.AssertSucceeded();
        StringAssert.Contains(s_build.Output, "Privileges: root");
        StringAssert.Contains(second.Output, $"Privileges: rootless (user {RootlessBuildTests.UserName}");
        StringAssert.Contains(second.Output, "Tree times clamped to SOURCE_DATE_EPOCH " + Epoch);

        var differing = IdenticalFormats.Where(f => Sha256(Image(f)) != Sha256(Path.Combine(again.OutputDirectory(), $"debian-vm.{f}"))).ToList();
        if (differing.Count == 0)
            return;
        // Name what differs in the tree: the tar listings with sizes, owners and times, and the files whose content differs.
        var secondTar = Path.Combine(again.OutputDirectory(), "debian-vm.tar");
        var listing = Command.Run("bash", ["-c",
            $"diff <(tar -tvf '{Image("tar")}' | sort -k6) <(tar -tvf '{secondTar}' | sort -k6) | head -40"]).Output;
        const string hashEach = "--to-command='printf \"%s %s\\n\" \"$TAR_FILENAME\" \"$(sha256sum | cut -c1-16)\"'";
        var contents = Command.Run("bash", ["-c",
            $"cd \"$(mktemp -d)\" && diff <(tar -xf '{Image("tar")}' {hashEach} | sort) <(tar -xf '{secondTar}' {hashEach} | sort) | head -40"]).Output;
        // And where the disks differ: the first differing bytes and the root filesystem's superblock (at 1 MiB, the
        // sample's one partition), for a difference in the filesystem rather than in the tree.
        var secondRaw = Path.Combine(again.OutputDirectory(), "debian-vm.raw");
        var disk = Command.Run("bash", ["-c",
            $"cmp -l '{Image("raw")}' '{secondRaw}' | head -20; " +
            $"diff <(dumpe2fs -h '{Image("raw")}?offset=1048576' 2>/dev/null) <(dumpe2fs -h '{secondRaw}?offset=1048576' 2>/dev/null)"]).Output;
        Assert.Fail($"Formats that differ between the two builds: {string.Join(", ", differing)}.\n" +
            $"Tree listing differences (modes, owners, sizes, times):\n{listing}\nFiles whose contents differ:\n{contents}\n" +
            $"Disk differences (offset, octal bytes; then the root superblocks):\n{disk}");
    }

    [TestMethod]
    public void Build_WithSourceDateEpoch_RecordsItInTheManifests_AndUsesItAsTheContainerCreationTime()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(Epoch, File.ReadAllText(Path.Combine(s_project.OutputDirectory(), "debian-vm.manifests", "source-date-epoch")).Trim());
        var config = Command.StandardOutput("skopeo", "inspect", "--config", $"oci-archive:{Image("oci.tar")}");
        StringAssert.Contains(config, "\"created\": \"2023-11-14T22:13:20Z\"", "the OCI config's created time is the epoch");
    }
}
