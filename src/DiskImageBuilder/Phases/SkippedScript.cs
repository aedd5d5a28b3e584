namespace DiskImageBuilder.Phases;

/// <summary>A file in a phase directory that does not run, and why.</summary>
public sealed record SkippedScript(string Name, RunPartsSkipReason Reason);
