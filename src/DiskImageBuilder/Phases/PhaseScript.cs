namespace DiskImageBuilder.Phases;

/// <summary>One script of a merged phase directory and the element it came from.</summary>
/// <param name="Name">The file name, which is also its place in the run order.</param>
/// <param name="ElementName">The element whose phase directory holds it.</param>
/// <param name="FullPath">The script's full path inside that element.</param>
public sealed record PhaseScript(string Name, string ElementName, string FullPath);
