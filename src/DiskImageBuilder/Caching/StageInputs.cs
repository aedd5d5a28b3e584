using System.Security.Cryptography;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Caching;

/// <summary>
/// What each stage reads, as named inputs with content hashes: the element files of its own phase
/// folders, and for the root stage also every other element file (environment.d, element-deps,
/// package-installs, pkg-map, static/, bin/, ...) and the build settings. The names are what the log
/// shows when a stage must run again ("element 'foo' install.d/50-bar").
/// </summary>
public static class StageInputs
{
    /// <summary>Files that document an element but never change what it builds.</summary>
    private static bool IsDocumentation(string relativePath) =>
        !relativePath.Contains('/') && (relativePath.StartsWith("README", StringComparison.OrdinalIgnoreCase)
                                        || relativePath.EndsWith(".md", StringComparison.OrdinalIgnoreCase));

    /// <summary>Inputs per stage name.</summary>
    public static IReadOnlyDictionary<string, SortedDictionary<string, string>> Collect(
        IReadOnlyList<Element> elements, IReadOnlyDictionary<string, string> settings, string sdkIdentity)
    {
        var perStage = TreeStage.All.ToDictionary(s => s.Name, _ => new SortedDictionary<string, string>(StringComparer.Ordinal));
        var root = perStage["root"];
        root["sdk"] = sdkIdentity;
        foreach (var (name, value) in settings)
            root[$"setting {name}"] = Hash(System.Text.Encoding.UTF8.GetBytes(value));
        foreach (var element in elements)
        {
            root[$"element '{element.Name}' (in the set)"] = Hash(System.Text.Encoding.UTF8.GetBytes(element.Path));
            foreach (var file in Directory.EnumerateFileSystemEntries(element.Path, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(element.Path, file);
                if (Directory.Exists(file) && new FileInfo(file).LinkTarget is null || IsDocumentation(relative))
                    continue;
                var phase = relative.Split('/')[0];
                var stage = TreeStage.All.FirstOrDefault(s => s.Phases.Contains(phase))?.Name ?? "root";
                perStage[stage][$"element '{element.Name}' {relative}"] = HashEntry(file);
            }
        }
        return perStage;
    }

    private static string HashEntry(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
            return "link:" + target;
        using var stream = File.OpenRead(path);
        // The mode matters too: run-parts skips a script that is not executable.
        var mode = ((int)File.GetUnixFileMode(path) & 0b001_001_001) != 0 ? "x" : "-";
        return mode + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
