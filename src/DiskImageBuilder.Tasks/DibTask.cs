using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Base of every task: runs the engine call, turns a <see cref="DibException"/> into one coded error
/// (with file and line, and a help link to its row in docs/errors.md), cancellation into a clear message, and anything unexpected into DIB1999
/// with the details at low importance. Ctrl+C reaches the engine through <see cref="CancellationToken"/>.
/// </summary>
public abstract class DibTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    protected CancellationToken CancellationToken => _cancellation.Token;

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            ExecuteCoreAsync(new TaskBuildLog(Log)).GetAwaiter().GetResult();
        }
        catch (DibException ex)
        {
            Log.LogError(null, ex.Code, null, ErrorHelp.Link(ex.Code), ex.File, ex.Line, 0, 0, 0, ex.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogError(null, ErrorCodes.PhaseCancelled, null, ErrorHelp.Link(ErrorCodes.PhaseCancelled), null, 0, 0, 0, 0,
                $"{GetType().Name} was cancelled; its child processes were stopped.");
        }
        catch (Exception ex)
        {
            Log.LogError(null, ErrorCodes.UnexpectedFailure, null, ErrorHelp.Link(ErrorCodes.UnexpectedFailure), null, 0, 0, 0, 0,
                $"{GetType().Name} failed unexpectedly: {ex.Message}");
            Log.LogMessage(MessageImportance.Low, $"Details: {ex}");
        }
        return !Log.HasLoggedErrors;
    }

    protected abstract Task ExecuteCoreAsync(IBuildLog log);
}
