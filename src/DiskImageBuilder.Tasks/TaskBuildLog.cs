using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DiskImageBuilder.Tasks;

/// <summary>The engine's log, written through MSBuild's: progress at high importance so the terminal logger shows it.</summary>
internal sealed class TaskBuildLog(TaskLoggingHelper log) : IBuildLog
{
    public void Progress(string message) => log.LogMessage(MessageImportance.High, message);
    public void Output(string message) => log.LogMessage(MessageImportance.Normal, message);
    public void Detail(string message) => log.LogMessage(MessageImportance.Low, message);
    public void Warning(string code, string message, string? file = null) =>
        log.LogWarning(null, code, null, ErrorHelp.Link(code), file, 0, 0, 0, 0, message);
}
