using System.Globalization;
using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Runs one phase of diskimage-builder's lifecycle (<see cref="TreeBuilder.RunPhaseAsync"/>): the merged scripts of
/// all elements for that phase, in run-parts order, chrooted into the tree or outside it as the phase table says.
/// After the last phase of its stage, the stage's snapshot goes into the stage cache.
/// </summary>
public sealed class RunPhase : PlannedTask
{
    /// <summary>The phase folder name, e.g. install.d.</summary>
    [Required]
    public string Phase { get; set; } = "";

    /// <summary>The stage the phase belongs to, as PlanStages returned it (metadata Key, ResumeAfter).</summary>
    [Required]
    public ITaskItem Stage { get; set; } = null!;

    /// <summary>PlanStages' cache points (Identity = phase/script; metadata Stage, Key).</summary>
    public ITaskItem[] CachePoints { get; set; } = [];

    /// <summary>One item per script run: Identity = phase/script; metadata Element, Seconds.</summary>
    [Output]
    public ITaskItem[] Timings { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var run = new StageRun(Stage.ItemSpec, Stage.GetMetadata("Key"), Stage.GetMetadata("ResumeAfter"),
            CachePoints.Where(p => p.GetMetadata("Stage") == Stage.ItemSpec)
                .ToDictionary(p => p.ItemSpec, p => p.GetMetadata("Key"), StringComparer.Ordinal));
        var report = await new TreeBuilder(Plan, log).RunPhaseAsync(Phase, run, CancellationToken);
        Timings = [.. report.Scripts.Select(s => TaskItems.Create($"{Phase}/{s.Name}",
            ("Element", s.Element), ("Seconds", s.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture))))];
    }
}
