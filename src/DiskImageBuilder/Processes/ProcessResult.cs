namespace DiskImageBuilder.Processes;

/// <summary>How a command ended: exit code, wall time and the last lines it printed.</summary>
public sealed record ProcessResult(int ExitCode, TimeSpan Duration, IReadOnlyList<string> Tail, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;
}
