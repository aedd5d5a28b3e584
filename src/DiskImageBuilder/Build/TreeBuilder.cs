using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Build;

/// <summary>
/// Builds the root tree in its four cached stages. <see cref="PrepareAsync"/> decides which stages run (from what
/// each reads, against the stage cache and the last build's record), puts the tree in the state the first of them
/// starts from (restored, or empty with freshly merged hooks); <see cref="RunPhaseAsync"/> runs one phase of a
/// running stage: it skips the scripts a restored cache point already covers, saves cache points after long
/// scripts, squashes package-installs after extra-data.d, and saves the stage's snapshot after its last phase.
/// </summary>
public sealed class TreeBuilder(ImageBuildPlan plan, IBuildLog log)
{
    private readonly ProcessRunner _runner = new(log);

    /// <summary>The SDK's build, part of every stage key: a new SDK never reuses an older one's snapshots.</summary>
    public static string SdkIdentity => typeof(TreeBuilder).Assembly.ManifestModule.ModuleVersionId.ToString();

    private StageCache? Cache => plan.StageCacheDirectory is { } directory ? new StageCache(directory, _runner, log) : null;

    public async Task<StagePlan> PrepareAsync(CancellationToken cancellationToken)
    {
        var work = plan.Work;
        Directory.CreateDirectory(Path.GetDirectoryName(work.TreeStamp)!);
        File.WriteAllText(work.DirtyMarker, "");
        File.Delete(work.TreeStamp);
        File.Delete(work.RawDisk);

        var inputs = StageInputs.Collect(plan.Elements, plan.TreeInputs(), SdkIdentity);
        var cache = Cache;
        var stages = await new StagePlanner(cache, log).PlanAsync(inputs, StageRecord.Load(work.StageRecord), plan.Elements, cancellationToken);
        new StageRecord(inputs.ToDictionary(i => i.Key, i => i.Value)).Save(work.StageRecord);

        var merger = new HookMerger(_runner);
        IReadOnlyList<string> warnings = [];
        if (stages.RestoreKey is null)
        {
            foreach (var folder in new[] { work.Tree, work.Build, work.Hooks })
                TreeRemoval.Delete(folder);
            warnings = await merger.MergeAsync(plan.Elements, work.Hooks, plan.Settings.BuiltInElementsDirectory, cancellationToken);
        }
        else
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            if (!await cache!.TryRestoreAsync(stages.RestoreKey, work.Root, cancellationToken))
                throw new DibException(ErrorCodes.CacheRestoreFailed,
                    $"Stage snapshot {stages.RestoreKey} disappeared or became corrupt while the build was starting. Build again; the stage will be rebuilt.");
            log.Progress($"Restored stage snapshot {stages.RestoreKey[..12]} in {started.Elapsed.TotalSeconds:F1} s");
            var running = stages.Decisions.Where(d => d.Run).Select(d => d.Stage).ToHashSet(StringComparer.Ordinal);
            if (running.Count > 0)
                warnings = await merger.RefreshAsync(plan.Elements, work.Hooks, plan.Settings.BuiltInElementsDirectory,
                    [.. plan.Stages.Where(s => running.Contains(s.Name)).SelectMany(s => s.Phases)], cancellationToken);
        }
        foreach (var warning in warnings)
            log.Warning(ErrorCodes.ScriptSkipped, warning);
        return stages;
    }

    /// <summary>Runs one phase of a stage that <see cref="PrepareAsync"/> said runs.</summary>
    /// <param name="phaseName">The phase folder, e.g. install.d.</param>
    /// <param name="run">Where the stage stands: its key, the point it resumes after, its cache points.</param>
    public async Task<PhaseReport> RunPhaseAsync(string phaseName, StageRun run, CancellationToken cancellationToken)
    {
        var phase = PhaseNames.Find(phaseName)
            ?? throw new DibException(ErrorCodes.UnexpectedFailure, $"'{phaseName}' is not a phase of diskimage-builder.");
        var stage = plan.Stages.First(s => s.Phases.Contains(phaseName));
        var work = plan.Work;
        var context = plan.Context(phaseName);
        Directory.CreateDirectory(work.Tree);
        var sandbox = new ScriptSandbox(_runner, new SandboxFiles(work.Sandbox));
        var scripts = Resume(phaseName, stage, MergedPhaseScripts.List(work.Hooks, phaseName, plan.Elements), run.ResumeAfter);
        var lastOfStage = stage.Phases[^1] == phaseName ? scripts.LastOrDefault() : null;
        var report = await new PhaseRunner(log, sandbox, plan.BreakOnError)
            .RunAsync(phase, scripts, context, cancellationToken, CachePointSaver(phaseName, run, lastOfStage, cancellationToken));
        if (phaseName == PhaseNames.ExtraData)
            await SquashPackageInstallsAsync(context, phase, cancellationToken);
        if (phaseName == PhaseNames.Root && !Directory.EnumerateFileSystemEntries(work.Tree).Any())
            throw new DibException(ErrorCodes.RootTreeEmpty,
                $"Failed to deploy the root element: root.d left {work.Tree} empty. An element that provides operating-system must create the tree.");
        if (stage.Phases[^1] == phaseName && Cache is { } cache)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await cache.SaveAsync(run.Key, work.Root, cancellationToken);
            cache.Trim(plan.StageCacheMaxBytes);
            log.Detail($"Saved stage snapshot {run.Key[..12]} in {started.Elapsed.TotalSeconds:F1} s");
        }
        return report;
    }

    /// <summary>The scripts still to run when the build restored a cache point of this phase's stage.</summary>
    private IReadOnlyList<PhaseScript> Resume(string phase, TreeStage stage, IReadOnlyList<PhaseScript> scripts, string? resumeAfter)
    {
        if (string.IsNullOrEmpty(resumeAfter))
            return scripts;
        var (resumePhase, resumeScript) = (resumeAfter.Split('/', 2)[0], resumeAfter.Split('/', 2)[^1]);
        var phases = stage.Phases.ToList();
        var (here, resumeAt) = (phases.IndexOf(phase), phases.IndexOf(resumePhase));
        if (resumeAt < 0 || here > resumeAt)
            return scripts;
        var remaining = here < resumeAt ? [] : scripts.Where(s => RunPartsOrder.Comparer.Compare(s.Name, resumeScript) > 0).ToList();
        if (remaining.Count < scripts.Count)
            log.Progress($"{phase}: {scripts.Count - remaining.Count} script(s) skipped, their result restored from the cache point after {resumeAfter}");
        return remaining;
    }

    /// <summary>Saves the tree after a script that took long, unless it is the stage's last (the stage's own snapshot follows).</summary>
    private Func<PhaseScript, TimeSpan, Task>? CachePointSaver(string phase, StageRun run, PhaseScript? lastOfStage, CancellationToken cancellationToken)
    {
        if (Cache is not { } cache || run.CachePoints.Count == 0)
            return null;
        return async (script, duration) =>
        {
            if (duration.TotalSeconds < plan.Settings.CachePointSeconds || script == lastOfStage
                || !run.CachePoints.TryGetValue($"{phase}/{script.Name}", out var key) || cache.Contains(key))
                return;
            var started = System.Diagnostics.Stopwatch.StartNew();
            await cache.SaveAsync(key, plan.Work.Root, cancellationToken);
            log.Progress($"{phase}/{script.Name} took {duration.TotalSeconds:F1} s: saved cache point {key[..12]} in {started.Elapsed.TotalSeconds:F1} s");
        };
    }

    /// <summary>
    /// After extra-data.d, as diskimage-builder's package-installs squash does: every element's package-installs,
    /// evaluated against the environment a script sees (environment.d sourced), become the per-phase lists that
    /// the package-installs element installs.
    /// </summary>
    private async Task SquashPackageInstallsAsync(BuildContext context, PhaseInfo phase, CancellationToken cancellationToken)
    {
        var environment = await new EnvironmentProbe(_runner).ReadAsync(plan.Work.Sandbox,
            Path.Combine(plan.Work.Hooks, "environment.d"), PhaseEnvironment.For(phase, context), cancellationToken);
        var set = new ResolvedElementSet(plan.Elements, []);
        var installType = environment.GetValueOrDefault("DIB_DEFAULT_INSTALLTYPE") ?? "source";
        PackageListFiles.Write(plan.Work.Hooks, PackageInstalls.Squash(set, plan.Settings.TargetArch, environment, installType));
        DeclarativeHooks.Write(plan.Work.Hooks, set, environment);
    }
}
