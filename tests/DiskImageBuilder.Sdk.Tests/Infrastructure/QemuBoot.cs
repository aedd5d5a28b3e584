using System.Diagnostics;
using System.Text;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// Boots a disk image in QEMU with plain emulation (TCG) and watches the serial console for a
/// login prompt. KVM is not used: on the reference host it starts but never runs the kernel. The emulator,
/// machine and firmware of each architecture come from the SDK's architecture table (ArchitectureProfile).
/// </summary>
internal static class QemuBoot
{
    public sealed record Outcome(bool ReachedLogin, TimeSpan Elapsed, string Console);

    /// <summary>Boots the image and fails the test, with the last console lines, unless a login prompt appears.</summary>
    public static void AssertReachesLogin(string image, string format, TimeSpan timeout, string consoleLog, bool uefi = false, string arch = "amd64")
    {
        var outcome = UntilLogin(image, format, timeout, consoleLog, uefi, arch);
        Assert.IsTrue(outcome.ReachedLogin,
            $"no login prompt after {outcome.Elapsed.TotalSeconds:F0} s; last console lines:\n" + string.Join('\n', outcome.Console.Split('\n').TakeLast(40)));
    }

    /// <param name="uefi">Boot with UEFI firmware (OVMF, with a fresh variable store: no boot entries) instead of SeaBIOS;
    /// always so on an architecture that boots with UEFI only (arm64, AAVMF).</param>
    /// <param name="arch">The image's architecture: the emulator and machine that boot it.</param>
    public static Outcome UntilLogin(string image, string format, TimeSpan timeout, string consoleLog, bool uefi = false, string arch = "amd64")
    {
        var profile = ArchitectureProfile.For(arch);
        uefi |= profile.Firmware == BootFirmware.Uefi;
        var start = new ProcessStartInfo(profile.QemuSystem)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in profile.QemuMachine.Concat(["-accel", "tcg", "-m", "1024", "-nographic", "-serial", "mon:stdio", "-no-reboot",
                     "-drive", $"file={image},format={format},if=virtio", "-snapshot", "-nic", "none"]))
            start.ArgumentList.Add(arg);
        if (uefi)
        {
            if (profile.UefiCode is null || profile.UefiVars is null)
                throw new AssertInconclusiveException($"The tests have no UEFI firmware for {arch}.");
            var vars = consoleLog + ".uefi-vars.fd";
            File.Copy(profile.UefiVars, vars, overwrite: true);
            foreach (var arg in new[] { "-drive", $"if=pflash,format=raw,readonly=on,file={profile.UefiCode}", "-drive", $"if=pflash,format=raw,file={vars}" })
                start.ArgumentList.Add(arg);
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var console = new StringBuilder();
        // The prompt "login: " ends without a newline, so the console is read as characters, not lines.
        var reader = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (console)
                {
                    console.Append(buffer, 0, read);
                    if (console.ToString().Contains("login:", StringComparison.Ordinal))
                        return true;
                }
            }
            return false;
        });
        var errors = process.StandardError.ReadToEndAsync();
        var reached = reader.Wait(timeout) && reader.Result;
        var elapsed = watch.Elapsed;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        string text;
        lock (console)
            text = console + errors.Result;
        File.WriteAllText(consoleLog, text);
        return new Outcome(reached, elapsed, text);
    }
}
