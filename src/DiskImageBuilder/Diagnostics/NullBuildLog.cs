namespace DiskImageBuilder.Diagnostics;

/// <summary>A log that keeps nothing, for checks made where no build log exists.</summary>
public sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();

    private NullBuildLog()
    {
    }

    public void Progress(string message) { }
    public void Output(string message) { }
    public void Detail(string message) { }
    public void Warning(string code, string message, string? file = null) { }
}
