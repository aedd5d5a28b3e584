using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Host;

/// <summary>
/// Whether this host can build an image of another architecture: element scripts run the target's own programs in
/// the chroot, so a foreign architecture needs the kernel to hand its binaries to a qemu-user emulator
/// (binfmt_misc, registered by Debian's qemu-user-static), registered with the fix-binary flag so that a chroot
/// needs no copy of the emulator. i386 runs natively on most amd64 kernels, not on all. Checked before anything
/// is downloaded.
/// </summary>
public static class ForeignArchitecture
{
    public const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>DIB5004 unless <paramref name="targetArch"/> programs run on this host.</summary>
    /// <param name="runsNatively">Whether the kernel runs the architecture without emulation; by default arch-test decides.</param>
    public static void RequireBuildable(string targetArch, string hostArch, IBuildLog log, string binfmtDir = BinfmtDirectory,
        Func<string, bool>? runsNatively = null)
    {
        if (targetArch == hostArch)
            return;
        var profile = ArchitectureProfile.For(targetArch);
        var entry = Path.Combine(binfmtDir, profile.BinfmtName);
        var registration = File.Exists(entry) ? File.ReadAllLines(entry) : [];
        if (registration.Contains("enabled"))
        {
            var flags = registration.FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) ?? "";
            if (flags.Contains('F', StringComparison.Ordinal))
                return;
            throw new DibException(ErrorCodes.ForeignArchitecture,
                $"TargetArch '{targetArch}': qemu-user is registered in {entry} without the fix-binary flag (F), so it cannot run inside " +
                $"the image's chroot. Register it again with the flag: update-binfmts --disable {profile.BinfmtName}; " +
                $"apt-get install --reinstall -y qemu-user-static (Debian's package registers it with F).");
        }
        if (targetArch == "i386" && hostArch == "amd64" && (runsNatively ?? (arch => ArchTestRunsNatively(arch, log)))(targetArch))
            return;

        var steps = new List<string>();
        if (!File.Exists(Path.Combine(binfmtDir, "register")))
            steps.Add($"mount -t binfmt_misc binfmt_misc {binfmtDir}");
        steps.Add("apt-get install -y qemu-user-static binfmt-support");
        steps.Add(targetArch == "i386"
            // Debian registers no qemu-i386 on amd64 hosts, whose kernels usually run i386 themselves; this one does not.
            ? $"echo '{I386Registration}' > {binfmtDir}/register"
            : $"update-binfmts --enable {profile.BinfmtName}");
        throw new DibException(ErrorCodes.ForeignArchitecture,
            $"TargetArch '{targetArch}' cannot be built on this {hostArch} host: its element scripts run {targetArch} programs, " +
            $"which needs qemu-user emulation registered with binfmt_misc ({entry} is missing or disabled). " +
            $"As root run: {string.Join("; ", steps)}. Or build on a {targetArch} host.");
    }

    /// <summary>
    /// The binfmt_misc line that runs i386 ELF programs (e_machine EM_386) with Debian's static qemu-i386 and the
    /// fix-binary flag; the magic and mask are QEMU's own (scripts/qemu-binfmt-conf.sh).
    /// </summary>
    public const string I386Registration =
        @":qemu-i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:" +
        @"\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-i386-static:F";

    /// <summary>arch-test -n (emulators disabled) runs a tiny program of the architecture; without arch-test, assume yes.</summary>
    private static bool ArchTestRunsNatively(string arch, IBuildLog log)
    {
        var tool = HostTools.Find("arch-test");
        if (tool is null)
            return true;
        var result = new ProcessRunner(log).RunAsync(new ProcessSpec(tool, ["-n", arch]), CancellationToken.None).GetAwaiter().GetResult();
        return result.Succeeded;
    }
}
