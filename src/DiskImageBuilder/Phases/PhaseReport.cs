namespace DiskImageBuilder.Phases;

/// <summary>How long a phase and each of its scripts took.</summary>
public sealed record PhaseReport(string Phase, TimeSpan Duration, IReadOnlyList<ScriptTiming> Scripts);

/// <summary>One script's wall time.</summary>
public sealed record ScriptTiming(string Name, string Element, TimeSpan Duration);
