using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes the given outputs (<see cref="OutputBuilder.WriteAsync"/>): disk formats from the raw disk, tree formats from
/// the tree, then checksum files beside each and a record of size and SHA-256 in the work folder. The target passes
/// only the outputs that MSBuild found out of date, so adding a format converts only that one.
/// </summary>
public sealed class ConvertImage : PlannedTask
{
    /// <summary>The outputs to write: PlanImageBuild's items (metadata Format).</summary>
    [Required]
    public ITaskItem[] Outputs { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log) =>
        new OutputBuilder(Plan, log).WriteAsync([.. Outputs.Select(o => o.GetMetadata("Format"))], CancellationToken);
}
