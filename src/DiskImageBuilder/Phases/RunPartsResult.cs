namespace DiskImageBuilder.Phases;

/// <summary>What dib-run-parts does with one phase directory.</summary>
/// <param name="Run">The names that run, in run order.</param>
/// <param name="Skipped">The names that do not run, in the same order, with the reason.</param>
public sealed record RunPartsResult(IReadOnlyList<string> Run, IReadOnlyList<SkippedScript> Skipped);
