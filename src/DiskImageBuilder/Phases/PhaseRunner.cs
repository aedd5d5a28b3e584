using System.Diagnostics;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Phases;

/// <summary>
/// Runs one phase: its merged scripts in run-parts order, each in its own sandbox, inside or outside
/// the chroot as the phase table says. Logs a progress line per script, streams output with a
/// prefix, and turns the first failing script into one error naming element, phase, path and exit code,
/// or into the coded error the script reported (<see cref="ScriptReportedError"/>).
/// After each script that succeeds, <c>afterScript</c> (when given) sees it and its duration, e.g. to save a cache point.
/// </summary>
public sealed class PhaseRunner(IBuildLog log, ScriptSandbox sandbox, bool breakOnError = false)
{
    public async Task<PhaseReport> RunAsync(PhaseInfo phase, IReadOnlyList<PhaseScript> scripts, BuildContext context,
        CancellationToken cancellationToken, Func<PhaseScript, TimeSpan, Task>? afterScript = null)
    {
        var phaseWatch = Stopwatch.StartNew();
        var timings = new List<ScriptTiming>();
        if (scripts.Count == 0)
        {
            log.Detail($"{phase.Directory}: no scripts");
            return new PhaseReport(phase.Directory, TimeSpan.Zero, timings);
        }

        log.Progress($"{phase.Directory}: {scripts.Count} script(s), {(phase.InChroot ? "in the chroot" : "outside the chroot")}");
        if (!phase.InChroot)
            HostSudoShim.Ensure(context.HooksDir);
        var environment = PhaseEnvironment.For(phase, context);
        var environmentDir = phase.InChroot
            ? PhaseEnvironment.HooksPathInChroot + "/environment.d"
            : Path.Combine(context.HooksDir, "environment.d");

        for (var i = 0; i < scripts.Count; i++)
        {
            var script = scripts[i];
            cancellationToken.ThrowIfCancellationRequested();
            log.Progress($"{phase.Directory} [{i + 1}/{scripts.Count}] {script.Name} ({script.ElementName})");
            var prefix = $"{phase.Directory}/{script.Name}: ";
            var result = phase.InChroot
                ? await sandbox.RunInChrootAsync(context.TreeDir, context.HooksDir,
                    $"{PhaseEnvironment.HooksPathInChroot}/{phase.Directory}/{script.Name}", environment, prefix, cancellationToken)
                : await sandbox.RunOutsideAsync(Path.Combine(context.HooksDir, phase.Directory, script.Name),
                    environmentDir, environment, context.BuildDir, prefix, cancellationToken);
            timings.Add(new ScriptTiming(script.Name, script.ElementName, result.Duration));
            log.Detail($"{phase.Directory}/{script.Name} finished in {result.Duration.TotalSeconds:F1} s with exit code {result.ExitCode}");
            if (!result.Succeeded && DiskSpace.IsOutOfSpace(result.Tail))
                throw DiskSpace.OutOfSpace(context.TreeDir, $"Element '{script.ElementName}' ({phase.Directory}/{script.Name})", null, result.Tail);
            if (!breakOnError || result.Succeeded)
                sandbox.ForgetEnvironment();
            if (!result.Succeeded && breakOnError)
            {
                log.Progress($"The tree is kept at {context.TreeDir}. To enter the environment {script.Name} ran in, as root:");
                log.Progress("  " + sandbox.ShellCommand(phase.InChroot, context.TreeDir, context.HooksDir, environmentDir));
            }
            if (!result.Succeeded && ScriptReportedError.Find(result.Tail) is { } reported)
                throw new DibException(reported.Code,
                    $"{reported.Message} (element '{script.ElementName}', phase {phase.Directory}, script {script.FullPath})",
                    file: script.FullPath);
            if (!result.Succeeded)
                throw new DibException(ErrorCodes.ScriptFailed,
                    $"Element '{script.ElementName}' failed in phase {phase.Directory}: script {script.FullPath} exited with code {result.ExitCode}. " +
                    $"Last lines of its output:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, result.Tail.Select(l => "  | " + l)),
                    file: script.FullPath);
            if (afterScript is not null)
                await afterScript(script, result.Duration);
        }

        log.Progress($"{phase.Directory}: done in {phaseWatch.Elapsed.TotalSeconds:F1} s");
        return new PhaseReport(phase.Directory, phaseWatch.Elapsed, timings);
    }
}
