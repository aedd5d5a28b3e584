using System.Globalization;
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
        var scripts = MergedPhaseScripts.List(HooksDirectory, Phase, elements);
        var report = await new PhaseRunner(log, sandbox, breakOnError: Break?.Split(',').Contains("after-error") == true).RunAsync(phase, scripts, context, CancellationToken);
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
