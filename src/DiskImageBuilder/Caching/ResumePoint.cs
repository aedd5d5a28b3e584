namespace DiskImageBuilder.Caching;

/// <summary>
/// A cache point inside a stage: the tree after one script (<paramref name="Phase"/>/<paramref name="Script"/>)
/// ran, keyed by the previous stage's key and only those inputs of this stage that can have shaped the
/// tree by then (every file of the earlier phases, and of this phase all but the scripts that run later).
/// </summary>
public sealed record ResumePoint(string Stage, string Phase, string Script, string Key)
{
    /// <summary>How RunPhase and the log name the point: "install.d/20-debian-kernel".</summary>
    public string Name => $"{Phase}/{Script}";
}
