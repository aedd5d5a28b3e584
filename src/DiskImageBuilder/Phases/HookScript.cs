namespace DiskImageBuilder.Phases;

/// <summary>One script of a merged phase: its file name, the element it came from, and its source path.</summary>
public sealed record HookScript(string Name, string Element, string SourcePath);
