using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Computes the cache key of each tree stage from what it reads, picks the deepest stage the stage
/// cache holds, and says which stages must run and why. Logs one line per stage: hit or miss, and
/// the first input that differs from the last build ("install: element 'foo' install.d/50-bar changed").
/// </summary>
public sealed class PlanStages : DibTask
{
    [Required]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    /// <summary>The settings that shape the tree, one "Name=Value" line each (the inputs file).</summary>
    [Required]
    public string InputsFile { get; set; } = "";

    /// <summary>The stage cache folder; empty turns the cache off (DiskImageCache=false).</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Where the last build's stage inputs are kept (obj/).</summary>
    [Required]
    public string RecordFile { get; set; } = "";

    /// <summary>The key of the snapshot to restore, or empty to start from an empty tree.</summary>
    [Output]
    public string RestoreKey { get; set; } = "";

    /// <summary>The stages to run, as ";root;install;" (each name between semicolons).</summary>
    [Output]
    public string RunStages { get; set; } = "";

    /// <summary>Identity = stage name; metadata Key.</summary>
    [Output]
    public ITaskItem[] StageKeys { get; set; } = [];

    /// <summary>The script ("install.d/20-debian-kernel") after which the first running stage resumes, or empty.</summary>
    [Output]
    public string ResumeAfter { get; set; } = "";

    /// <summary>The cache points of the stages that run: Identity = phase/script; metadata Key.</summary>
    [Output]
    public ITaskItem[] CachePoints { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var settings = File.ReadAllLines(InputsFile)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => string.Join('\n', g.Select(p => p[1])), StringComparer.Ordinal);
        var sdkIdentity = typeof(StageCache).Assembly.ManifestModule.ModuleVersionId.ToString();
        var elements = TaskElements.From(ResolvedElements);
        var inputs = StageInputs.Collect(elements, settings, sdkIdentity);
        var cache = string.IsNullOrEmpty(CacheDirectory) ? null : new StageCache(CacheDirectory, new ProcessRunner(log), log);
        var plan = await new StagePlanner(cache, log).PlanAsync(inputs, StageRecord.Load(RecordFile), elements, CancellationToken);
        new StageRecord(inputs.ToDictionary(i => i.Key, i => i.Value)).Save(RecordFile);

        RestoreKey = plan.RestoreKey ?? "";
        ResumeAfter = plan.ResumeAfter?.Name ?? "";
        RunStages = ";" + string.Join(';', plan.Decisions.Where(d => d.Run).Select(d => d.Stage)) + ";";
        StageKeys = [.. plan.Decisions.Select(d => Item(d.Stage, d.Key))];
        CachePoints = [.. plan.Points.Select(p => Item(p.Name, p.Key))];
    }

    private static ITaskItem Item(string identity, string key)
    {
        var item = new TaskItem(identity);
        item.SetMetadata("Key", key);
        return item;
    }
}
