using System.Globalization;
using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Runs one phase of diskimage-builder's lifecycle: the merged scripts of all elements for that
/// phase, in run-parts order, chrooted into the tree or outside it as the phase table says.
/// </summary>
public sealed class RunPhase : BuildContextTask
{
    /// <summary>The phase folder name, e.g. install.d.</summary>
    [Required]
    public string Phase { get; set; } = "";

    /// <summary>Root filesystem facts: Identity = variable (DIB_ROOT_LABEL...), metadata Value.</summary>
    public ITaskItem[] BlockDeviceEnvironment { get; set; } = [];

    /// <summary>diskimage-builder's break=: "after-error" prints, when a script fails, the command that
    /// enters its environment (the tree is kept).</summary>
    public string? Break { get; set; }

    /// <summary>The script ("install.d/20-debian-kernel") whose cache point the build restored: the scripts of
    /// its stage up to and including it already ran. Empty, or a script of another stage, runs the phase whole.</summary>
    public string? ResumeAfter { get; set; }

    /// <summary>The cache points of the running stages: Identity = phase/script; metadata Key. A script that
    /// takes at least <see cref="CachePointSeconds"/> saves the tree under its point's key.</summary>
    public ITaskItem[] CachePoints { get; set; } = [];

    /// <summary>The stage cache folder; empty saves no cache points.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The build's work folder (tree/, hooks/, build/), what a cache point holds.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>How long a script must take for the tree after it to be worth a cache point (DiskImageCachePointSeconds).</summary>
    public double CachePointSeconds { get; set; } = 2;

    /// <summary>One item per script run: Identity = phase/script; metadata Element, Seconds.</summary>
    [Output]
    public ITaskItem[] Timings { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var phase = PhaseNames.Find(Phase)
            ?? throw new DibException(ErrorCodes.UnexpectedFailure, $"'{Phase}' is not a phase of diskimage-builder.");
        var elements = TaskElements.From(ResolvedElements);
        var context = CreateContext(elements.Select(e => e.Name), ToDictionary(BlockDeviceEnvironment));
        Directory.CreateDirectory(TreeDirectory);
        var runner = new ProcessRunner(log);
        var sandbox = new ScriptSandbox(runner, new SandboxFiles(Path.Combine(BuildDirectory, "sandbox")));
        var scripts = Resume(MergedPhaseScripts.List(HooksDirectory, Phase, elements), log);
        var report = await new PhaseRunner(log, sandbox, breakOnError: Break?.Split(',').Contains("after-error") == true)
            .RunAsync(phase, scripts, context, CancellationToken, CachePointSaver(runner, log, scripts.LastOrDefault()));
        if (phase.Directory == PhaseNames.ExtraData)
            await SquashPackageInstallsAsync(runner, context, phase, elements);
        if (phase.Directory == "root.d" && !Directory.EnumerateFileSystemEntries(TreeDirectory).Any())
            throw new DibException(ErrorCodes.RootTreeEmpty,
                $"Failed to deploy the root element: root.d left {TreeDirectory} empty. An element that provides operating-system must create the tree.");
        Timings = [.. report.Scripts.Select(s =>
        {
            var item = new TaskItem($"{Phase}/{s.Name}");
            item.SetMetadata("Element", s.Element);
            item.SetMetadata("Seconds", s.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            return (ITaskItem)item;
        })];
    }

    /// <summary>The scripts still to run when the build restored a cache point of this phase's stage.</summary>
    private IReadOnlyList<PhaseScript> Resume(IReadOnlyList<PhaseScript> scripts, IBuildLog log)
    {
        if (string.IsNullOrEmpty(ResumeAfter))
            return scripts;
        var (resumePhase, resumeScript) = (ResumeAfter.Split('/', 2)[0], ResumeAfter.Split('/', 2)[^1]);
        var stage = TreeStage.All.First(s => s.Phases.Contains(Phase));
        var phases = stage.Phases.ToList();
        var (here, resumeAt) = (phases.IndexOf(Phase), phases.IndexOf(resumePhase));
        if (resumeAt < 0 || here > resumeAt)
            return scripts;
        var remaining = here < resumeAt ? [] : scripts.Where(s => RunPartsOrder.Comparer.Compare(s.Name, resumeScript) > 0).ToList();
        if (remaining.Count < scripts.Count)
            log.Progress($"{Phase}: {scripts.Count - remaining.Count} script(s) skipped, their result restored from the cache point after {ResumeAfter}");
        return remaining;
    }

    /// <summary>Saves the tree after a script that took long, unless it is the stage's last (the stage's own entry follows).</summary>
    private Func<PhaseScript, TimeSpan, Task>? CachePointSaver(ProcessRunner runner, IBuildLog log, PhaseScript? lastOfPhase)
    {
        if (string.IsNullOrEmpty(CacheDirectory) || string.IsNullOrEmpty(WorkDirectory) || CachePoints.Length == 0)
            return null;
        var keys = CachePoints.ToDictionary(p => p.ItemSpec, p => p.GetMetadata("Key"), StringComparer.Ordinal);
        var lastPhaseOfStage = TreeStage.All.Any(s => s.Phases[^1] == Phase);
        var cache = new StageCache(CacheDirectory, runner, log);
        return async (script, duration) =>
        {
            if (duration.TotalSeconds < CachePointSeconds || (lastPhaseOfStage && script == lastOfPhase)
                || !keys.TryGetValue($"{Phase}/{script.Name}", out var key) || cache.Contains(key))
                return;
            var started = System.Diagnostics.Stopwatch.StartNew();
            await cache.SaveAsync(key, WorkDirectory, CancellationToken);
            log.Progress($"{Phase}/{script.Name} took {duration.TotalSeconds:F1} s: saved cache point {key[..12]} in {started.Elapsed.TotalSeconds:F1} s");
        };
    }

    /// <summary>
    /// After extra-data.d, as diskimage-builder's package-installs squash does: every element's
    /// package-installs, evaluated against the environment a script sees (environment.d sourced),
    /// become the per-phase lists that the package-installs element installs.
    /// </summary>
    private async Task SquashPackageInstallsAsync(ProcessRunner runner, BuildContext context, PhaseInfo phase,
        IReadOnlyList<Element> elements)
    {
        var environment = await new EnvironmentProbe(runner).ReadAsync(Path.Combine(BuildDirectory, "sandbox"),
            Path.Combine(HooksDirectory, "environment.d"), PhaseEnvironment.For(phase, context), CancellationToken);
        var set = new ResolvedElementSet(elements, []);
        var installType = environment.GetValueOrDefault("DIB_DEFAULT_INSTALLTYPE") ?? "source";
        PackageListFiles.Write(HooksDirectory, PackageInstalls.Squash(set, TargetArch, environment, installType));
        DeclarativeHooks.Write(HooksDirectory, set, environment);
    }

    private static Dictionary<string, string> ToDictionary(ITaskItem[] items) =>
        items.ToDictionary(i => i.ItemSpec, i => i.GetMetadata("Value"), StringComparer.Ordinal);
}
