namespace DiskImageBuilder.Phases;

/// <summary>One script of a merged phase directory and the element it came from.</summary>
/// <param name="Name">The file name, which is also its place in the run order.</param>
/// <param name="ElementName">The element whose phase directory holds it, or
/// <see cref="MergedPhaseScripts.GeneratedElement"/> for a script an earlier phase wrote into the hooks.</param>
/// <param name="FullPath">The script's full path inside that element (in the merged hooks for a generated one).</param>
public sealed record PhaseScript(string Name, string ElementName, string FullPath);
