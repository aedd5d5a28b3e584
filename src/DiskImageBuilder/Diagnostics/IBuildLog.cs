namespace DiskImageBuilder.Diagnostics;

/// <summary>
/// Where the engine reports progress. The MSBuild tasks map it onto TaskLoggingHelper;
/// tests collect it in memory.
/// </summary>
public interface IBuildLog
{
    /// <summary>Progress a person follows (phase and script starts, timings): high importance.</summary>
    void Progress(string message);

    /// <summary>Streamed tool and script output: normal importance.</summary>
    void Output(string message);

    /// <summary>Details for -v:diag and the binary log: low importance.</summary>
    void Detail(string message);

    /// <summary>A coded warning.</summary>
    void Warning(string code, string message, string? file = null);
}
