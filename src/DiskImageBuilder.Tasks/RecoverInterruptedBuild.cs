using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// When an earlier build of the project was cancelled or killed mid-stage (<see cref="InterruptedWork.Recover"/>): stops
/// the script sandboxes it left running and removes what it left, so that this build starts from an empty tree.
/// </summary>
public sealed class RecoverInterruptedBuild : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        InterruptedWork.Recover(Plan.Work, Plan.Settings.OutputDirectory, log);
        return Task.CompletedTask;
    }
}
