using System.Globalization;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// What a killed build leaves: a script sandbox that is still running (its parent died, so nobody
/// stopped it). Its pid file names it; killing that unshare process ends the whole PID namespace
/// (--kill-child), and with it every mount the script had.
/// </summary>
public static class InterruptedBuild
{
    /// <summary>Kills the sandboxes recorded under <paramref name="buildDir"/> that still run; returns their pids.</summary>
    public static IReadOnlyList<int> StopLeftovers(string buildDir, IBuildLog log)
    {
        var stopped = new List<int>();
        if (!Directory.Exists(buildDir))
            return stopped;
        foreach (var pidFile in Directory.EnumerateFiles(buildDir, "running.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && IsOurSandbox(pid, Path.GetDirectoryName(pidFile)!))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                    stopped.Add(pid);
                    log.Progress($"Stopped process {pid}, a script sandbox left running by an interrupted build.");
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
            File.Delete(pidFile);
        }
        return stopped;
    }

    /// <summary>Only a process whose command line names this sandbox folder is ours: pids are reused.</summary>
    private static bool IsOurSandbox(int pid, string sandboxDir)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        return File.Exists(cmdline)
            && File.ReadAllText(cmdline).Replace('\0', ' ').Contains(sandboxDir, StringComparison.Ordinal);
    }
}
