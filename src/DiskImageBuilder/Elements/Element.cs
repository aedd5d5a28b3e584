namespace DiskImageBuilder.Elements;
public sealed record Element(string Name, string Path, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Provides);
