using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// A small root tree made the way an image build leaves one: root-owned, with other owners, set-ID and sticky modes,
/// absolute and relative symbolic links (one pointing at the host's /usr/sbin, one dangling), a hard-link pair, file
/// capabilities (one with a byte above 0x7F), a user xattr, long and non-ASCII names, an id too large for ustar, an
/// empty directory, a FIFO, and device nodes that must never reach an archive. Needs root; deleted on dispose.
/// </summary>
internal sealed class SampleRootTree : IDisposable
{
    /// <summary>Before 2001-09-09, to see that old times are kept when newer ones are clamped.</summary>
    public static readonly DateTimeOffset OldTime = DateTimeOffset.FromUnixTimeSeconds(1_000_000_000);

    /// <summary>After the clamp used by the tests.</summary>
    public static readonly DateTimeOffset NewTime = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

    /// <summary>Larger than the 7 octal digits of a ustar uid field, so the writer must use a pax record.</summary>
    public const int LargeId = 3_000_000;

    public const string HardLinkFirst = "usr/share/doc/pkg/copyright";
    public const string HardLinkSecond = "usr/share/doc/pkg/copyright.link";
    public const string PingPath = "usr/bin/ping";
    public const string HelperPath = "usr/sbin/helper";
    public const string NonAsciiPath = "usr/share/i18n/déjà-vu.txt";
    public const string LongPath = "usr/share/long/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccccccccccccc/file.txt";
    public const string FifoPath = "var/spool/initctl";
    public const string StrayDevicePath = "run/stray-null";

    public SampleRootTree()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("These tests build a root tree with chown, mknod and setcap and must run as root (CI does).");
        Root = Directory.CreateTempSubdirectory("dib-outputs-").FullName;
        Tree = Directory.CreateDirectory(Path.Combine(Root, "tree")).FullName;
        Build();
    }

    /// <summary>The temp directory that holds the tree and everything a test writes.</summary>
    public string Root { get; }

    /// <summary>The root tree.</summary>
    public string Tree { get; }

    /// <summary>A new empty directory inside <see cref="Root"/>.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Build()
    {
        Dir("etc", "755");
        File("etc/hostname", "sample\n", "644");
        HostTool.Run("setfattr", "attr", "-n", "user.comment", "-v", "built by a test", At("etc/hostname"));
        File("etc/shadow", "root:*:19000:0:99999:7:::\n", "640", "0:42");
        File("etc/old-file", "old\n", "644");
        System.IO.File.SetLastWriteTimeUtc(At("etc/old-file"), OldTime.UtcDateTime);
        File("etc/new-file", "new\n", "644");
        System.IO.File.SetLastWriteTimeUtc(At("etc/new-file"), NewTime.UtcDateTime);
        Link("etc/localtime", "/usr/share/zoneinfo/Etc/UTC");

        Dir("home", "755");
        Dir("home/user", "750", "1000:1000");
        File("home/user/.profile", "PS1='$ '\n", "600", "1000:1000");

        Dir("usr", "755");
        Dir("usr/bin", "755");
        Dir("usr/sbin", "755");
        Dir("usr/lib", "755");
        Link("bin", "usr/bin");
        Link("sbin", "/usr/sbin");
        File(PingPath, "#!/bin/sh\necho ping\n", "755");
        HostTool.Run("setcap", "libcap2-bin", "cap_net_raw+ep", At(PingPath));
        File(HelperPath, "#!/bin/sh\necho helper\n", "750");
        // cap_setuid is bit 7: the capability value then holds 0x80, which is not UTF-8 on its own.
        HostTool.Run("setcap", "libcap2-bin", "cap_setuid,cap_net_bind_service+ep", At(HelperPath));
        File("usr/bin/su", "#!/bin/sh\n", "4755");
        File("usr/lib/libfoo.so.1", new string('x', 3000), "644");
        Link("usr/lib/libfoo.so", "libfoo.so.1");

        Dir("usr/share", "755");
        Dir("usr/share/doc", "755");
        Dir("usr/share/doc/pkg", "755");
        File(HardLinkFirst, "Copyright: a test\n", "644");
        HostTool.Run("ln", "coreutils", At(HardLinkFirst), At(HardLinkSecond));
        File("usr/share/big-id", "large ids\n", "644", $"{LargeId}:{LargeId}");
        Dir("usr/share/i18n", "755");
        File(NonAsciiPath, "déjà vu\n", "644");
        // getfattr escapes this name; the writer must map the attribute back to the right entry.
        HostTool.Run("setfattr", "attr", "-n", "user.comment", "-v", "non-ASCII name", At(NonAsciiPath));
        Directory.CreateDirectory(Path.GetDirectoryName(At(LongPath))!);
        File(LongPath, "long\n", "644");

        Dir("tmp", "1777");
        Dir("var", "755");
        Dir("var/empty", "700");
        Dir("var/spool", "755");
        HostTool.Run("mkfifo", "coreutils", "-m", "600", At(FifoPath));
        Dir("run", "755");
        HostTool.Run("mknod", "coreutils", "-m", "666", At(StrayDevicePath), "c", "1", "3");

        // What debootstrap leaves in /dev; none of it may reach an archive.
        Dir("dev", "755");
        HostTool.Run("mknod", "coreutils", "-m", "666", At("dev/null"), "c", "1", "3");
        HostTool.Run("mknod", "coreutils", "-m", "660", At("dev/loop0"), "b", "7", "0");
        HostTool.Run("mkfifo", "coreutils", "-m", "600", At("dev/initctl"));
        Link("dev/fd", "/proc/self/fd");
        Dir("dev/pts", "755");
    }

    private string At(string relative) => Path.Combine(Tree, relative);

    private void Dir(string relative, string mode, string owner = "0:0")
    {
        Directory.CreateDirectory(At(relative));
        Own(relative, mode, owner);
    }

    private void File(string relative, string content, string mode, string owner = "0:0")
    {
        System.IO.File.WriteAllText(At(relative), content);
        Own(relative, mode, owner);
    }

    private void Link(string relative, string target) => System.IO.File.CreateSymbolicLink(At(relative), target);

    private void Own(string relative, string mode, string owner)
    {
        // chown before chmod: chown clears set-user-ID bits.
        HostTool.Run("chown", "coreutils", owner, At(relative));
        HostTool.Run("chmod", "coreutils", mode, At(relative));
    }
}
