using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// The one shape of every configuration error: <c>SOURCE line N: NODE: problem. What to do.</c>, with the source
/// and line also on the exception so that MSBuild shows them as the error's location.
/// </summary>
internal static class BlockDeviceConfigErrors
{
    public static DibException At(string code, string source, int line, string? node, string problem) =>
        new(code, node is null ? $"{source} line {line}: {problem}" : $"{source} line {line}: {node}: {problem}", source, line);

    public static DibException At(string code, string source, BlockDeviceNode node, string problem) =>
        At(code, source, node.SourceLine, node.Describe(), problem);

    /// <summary>Names for a message, quoted, at most a screenful.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.Select(name => $"'{name}'").ToList();
        return all.Count <= 20 ? string.Join(", ", all) : string.Join(", ", all.Take(20)) + $" and {all.Count - 20} more";
    }
}
