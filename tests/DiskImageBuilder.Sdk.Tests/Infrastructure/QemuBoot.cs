using System.Diagnostics;
using System.Text;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// Boots a disk image in QEMU with plain emulation (TCG) and watches the serial console for a
/// login prompt. KVM is not used: on the reference host it starts but never runs the kernel.
/// </summary>
internal static class QemuBoot
{
    public sealed record Outcome(bool ReachedLogin, TimeSpan Elapsed, string Console);

    /// <summary>Debian's ovmf package: UEFI firmware for QEMU, code and a template of its variable store.</summary>
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    private const string OvmfVarsTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    /// <summary>Boots the image and fails the test, with the last console lines, unless a login prompt appears.</summary>
    public static void AssertReachesLogin(string image, string format, TimeSpan timeout, string consoleLog, bool uefi = false)
    {
        var outcome = UntilLogin(image, format, timeout, consoleLog, uefi);
        Assert.IsTrue(outcome.ReachedLogin,
            $"no login prompt after {outcome.Elapsed.TotalSeconds:F0} s; last console lines:\n" + string.Join('\n', outcome.Console.Split('\n').TakeLast(40)));
    }

    /// <param name="uefi">Boot with UEFI firmware (OVMF, with a fresh variable store: no boot entries) instead of SeaBIOS.</param>
    public static Outcome UntilLogin(string image, string format, TimeSpan timeout, string consoleLog, bool uefi = false)
    {
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-accel", "tcg", "-m", "1024", "-nographic", "-serial", "mon:stdio", "-no-reboot",
                     "-drive", $"file={image},format={format},if=virtio", "-snapshot", "-nic", "none" })
            start.ArgumentList.Add(arg);
        if (uefi)
        {
            var vars = consoleLog + ".ovmf-vars.fd";
            File.Copy(OvmfVarsTemplate, vars, overwrite: true);
            foreach (var arg in new[] { "-drive", $"if=pflash,format=raw,readonly=on,file={OvmfCode}", "-drive", $"if=pflash,format=raw,file={vars}" })
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
