using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Builds the merged hooks folder (TMP_HOOKS_PATH) from the resolved elements, in their order.
/// </summary>
public sealed class MergeElementHooks : DibTask
{
    /// <summary>The resolved elements (Identity = name, metadata Path).</summary>
    [Required]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    /// <summary>The merged hooks folder to (re)create.</summary>
    [Required]
    public string HooksDirectory { get; set; } = "";

    /// <summary>The SDK's own elements: their scripts are made executable again (NuGet packages keep no file modes).</summary>
    public string BuiltInElementsDirectory { get; set; } = "";

    /// <summary>Stages about to run after a restore from the stage cache (";install;finalise;"): the restored
    /// hooks are refreshed for their phases instead of merged anew.</summary>
    public string? RefreshForStages { get; set; }

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var merger = new HookMerger(new ProcessRunner(log));
        var elements = TaskElements.From(ResolvedElements);
        var warnings = string.IsNullOrEmpty(RefreshForStages)
            ? await merger.MergeAsync(elements, HooksDirectory, BuiltInElementsDirectory, CancellationToken)
            : await merger.RefreshAsync(elements, HooksDirectory, BuiltInElementsDirectory,
                [.. Caching.TreeStage.All.Where(s => RefreshForStages.Contains($";{s.Name};", StringComparison.Ordinal)).SelectMany(s => s.Phases)],
                CancellationToken);
        foreach (var warning in warnings)
            log.Warning(ErrorCodes.ScriptSkipped, warning);
    }
}
