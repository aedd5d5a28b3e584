using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>Keeps every log line in memory; <see cref="OnDetail"/> lets a test act when the engine reaches a step.</summary>
internal sealed class RecordingBuildLog : IBuildLog
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    /// <summary>Called with each detail line, e.g. to cancel a build when a given command starts.</summary>
    public Action<string>? OnDetail { get; init; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
                return [.. _lines];
        }
    }

    public void Progress(string message) => Add(message);

    public void Output(string message) => Add(message);

    public void Detail(string message)
    {
        Add(message);
        OnDetail?.Invoke(message);
    }

    public void Warning(string code, string message, string? file = null) => Add($"warning {code}: {message}");

    private void Add(string line)
    {
        lock (_gate)
            _lines.Add(line);
    }
}
