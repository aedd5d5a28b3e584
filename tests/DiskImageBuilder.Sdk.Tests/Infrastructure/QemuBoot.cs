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

    public static Outcome UntilLogin(string image, string format, TimeSpan timeout, string consoleLog)
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
        var console = new StringBuilder();
        var login = new TaskCompletionSource();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        void OnData(string? data)
        {
            if (data is null)
                return;
            lock (console)
            {
                console.AppendLine(data);
                if (data.Contains("login:", StringComparison.Ordinal))
                    login.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => OnData(e.Data);
        process.ErrorDataReceived += (_, e) => OnData(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Returns early when QEMU itself exits (a bad image, a missing firmware).
        var finished = Task.WaitAny([login.Task, process.WaitForExitAsync()], timeout);
        var reached = login.Task.IsCompletedSuccessfully;
        _ = finished;
        var elapsed = watch.Elapsed;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        string text;
        lock (console)
            text = console.ToString();
        File.WriteAllText(consoleLog, text);
        return new Outcome(reached, elapsed, text);
    }
}
