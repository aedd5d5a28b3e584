using System.Runtime.InteropServices;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Host;

/// <summary>
/// Architecture names as diskimage-builder spells them (Debian style), their aliases, and the host's own.
/// </summary>
public static class TargetArchitecture
{
    /// <summary>The canonical names this SDK knows.</summary>
    public static readonly IReadOnlyList<string> Known = ["amd64", "arm64", "i386", "ppc64el"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amd64"] = "amd64", ["x86_64"] = "amd64",
        ["arm64"] = "arm64", ["aarch64"] = "arm64",
        ["i386"] = "i386", ["i686"] = "i386",
        ["ppc64el"] = "ppc64el", ["ppc64le"] = "ppc64el",
    };

    /// <summary>The host's architecture in canonical form.</summary>
    public static string Host => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "i386",
        Architecture.Ppc64le => "ppc64el",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Returns the canonical name, or throws DIB1001 naming the value and the valid names.</summary>
    public static string Normalize(string value)
    {
        if (Aliases.TryGetValue(value.Trim(), out var canonical))
            return canonical;
        throw new DibException(ErrorCodes.UnknownTargetArch,
            $"TargetArch '{value}' is not an architecture this SDK builds. Set TargetArch to one of: {string.Join(", ", Known)} " +
            "(aliases x86_64, aarch64, i686 and ppc64le are accepted).");
    }

    /// <summary>
    /// The canonical names of a TargetArchs list (';' or ',' between names). One DIB1001 names every unknown value;
    /// DIB1006 names two spellings of one architecture, whose inner builds would share one output folder.
    /// </summary>
    public static IReadOnlyList<string> NormalizeList(string values)
    {
        var names = (values ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !Aliases.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new DibException(ErrorCodes.UnknownTargetArch,
                $"TargetArchs '{values}' names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which {(unknown.Count == 1 ? "is not an architecture" : "are not architectures")} " +
                $"this SDK builds. List only: {string.Join(", ", Known)} (aliases x86_64, aarch64, i686 and ppc64le are accepted).");
        var twice = names.GroupBy(n => Aliases[n]).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new DibException(ErrorCodes.DuplicateTargetArch,
                $"TargetArchs '{values}' names {twice.Key} more than once ({string.Join(", ", twice.Select(n => $"'{n}'"))}); each architecture " +
                $"builds into bin/<Configuration>/{twice.Key}/ once. Keep one of them.");
        if (names.Length == 0)
            throw new DibException(ErrorCodes.UnknownTargetArch, $"TargetArchs '{values}' names no architecture. List one or more of: {string.Join(", ", Known)}.");
        return [.. names.Select(n => Aliases[n])];
    }
}
