using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Host;

/// <summary>
/// Whether this host can build an image of another architecture: element scripts run the target's own
/// programs in the chroot, so a foreign architecture needs the kernel to hand its binaries to a
/// qemu-user emulator (binfmt_misc, set up by Debian's qemu-user-static package). i386 runs natively
/// on amd64. Checked before anything is downloaded.
/// </summary>
public static class ForeignArchitecture
{
    /// <summary>The binfmt_misc entry qemu-user-static registers per Debian architecture.</summary>
    private static readonly Dictionary<string, string> BinfmtEntries = new(StringComparer.Ordinal)
    {
        ["amd64"] = "qemu-x86_64", ["arm64"] = "qemu-aarch64", ["i386"] = "qemu-i386", ["ppc64el"] = "qemu-ppc64le",
    };

    public static void RequireBuildable(string targetArch, string hostArch, string binfmtDir = "/proc/sys/fs/binfmt_misc")
    {
        if (targetArch == hostArch || (targetArch == "i386" && hostArch == "amd64"))
            return;
        var entry = Path.Combine(binfmtDir, BinfmtEntries[targetArch]);
        if (File.Exists(entry) && File.ReadAllText(entry).Contains("enabled", StringComparison.Ordinal))
            return;
        throw new DibException(ErrorCodes.ForeignArchitecture,
            $"TargetArch '{targetArch}' cannot be built on this {hostArch} host: its element scripts run {targetArch} programs, " +
            $"which needs qemu-user emulation registered with binfmt_misc ({entry} is missing or disabled). " +
            "Install it with: apt-get install -y qemu-user-static binfmt-support, or build on a " + targetArch + " host.");
    }
}
