using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Decides which stages of the tree run and prepares the tree for the first of them (<see cref="TreeBuilder.PrepareAsync"/>):
/// logs one line per stage, hit or miss and the first input that differs from the last build
/// ("install: element 'foo' install.d/50-bar changed"), restores the deepest snapshot the stage cache holds or
/// starts from an empty tree with freshly merged hooks.
/// </summary>
public sealed class PlanStages : PlannedTask
{
    /// <summary>The stages that run, in order: Identity = stage; metadata Phases (';'-separated), Key, ResumeAfter
    /// (the script whose cache point was restored, or empty), CreatesDiskBefore (true on the stage before which the disk is made).</summary>
    [Output]
    public ITaskItem[] RunStages { get; set; } = [];

    /// <summary>The cache points of the stages that run: Identity = phase/script; metadata Stage, Key.</summary>
    [Output]
    public ITaskItem[] CachePoints { get; set; } = [];

    /// <summary>True once the tree is prepared. A target skipped as up to date infers its ItemGroup and PropertyGroup
    /// contents but not task outputs, so only this tells the targets after it that stages were planned in this build.</summary>
    [Output]
    public bool Prepared { get; set; }

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var plan = Plan;
        var stages = await new TreeBuilder(plan, log).PrepareAsync(CancellationToken);
        RunStages = [.. stages.Decisions.Where(d => d.Run).Select(d => TaskItems.Create(d.Stage,
            ("Phases", string.Join(';', plan.Stages.First(s => s.Name == d.Stage).Phases)),
            ("Key", d.Key),
            ("ResumeAfter", stages.ResumeAfter?.Stage == d.Stage ? stages.ResumeAfter.Name : ""),
            ("CreatesDiskBefore", plan.NeedsDisk && d.Stage == ImageBuildPlan.DiskCreatedBefore ? "true" : "false")))];
        Prepared = true;
        CachePoints = [.. stages.Points.Select(p => TaskItems.Create(p.Name, ("Stage", p.Stage), ("Key", p.Key)))];
    }
}
