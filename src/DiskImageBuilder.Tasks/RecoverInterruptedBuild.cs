using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Runs when an earlier build of the project was cancelled or killed mid-stage: stops script
/// sandboxes it left running, so the tree can be removed and the build start clean.
/// </summary>
public sealed class RecoverInterruptedBuild : DibTask
{
    /// <summary>The build's private folder, where sandboxes record their pids.</summary>
    [Required]
    public string BuildDirectory { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        InterruptedBuild.StopLeftovers(BuildDirectory, log);
        return Task.CompletedTask;
    }
}
