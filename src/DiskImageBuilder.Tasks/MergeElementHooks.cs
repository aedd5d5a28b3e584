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

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var warnings = await new HookMerger(new ProcessRunner(log)).MergeAsync(TaskElements.From(ResolvedElements),
            HooksDirectory, BuiltInElementsDirectory, CancellationToken);
        foreach (var warning in warnings)
            log.Warning(ErrorCodes.ScriptSkipped, warning);
    }
}
