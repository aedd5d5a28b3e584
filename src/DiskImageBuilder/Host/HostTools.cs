using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Host;

/// <summary>
/// Finds host programs before any work starts, so a missing tool is reported once, all together,
/// with the apt-get line that installs them, instead of failing halfway through a build.
/// </summary>
public static class HostTools
{
    private static readonly string[] SystemDirs = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="program"/> on PATH or the system directories, or null.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirs))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Throws DIB5001 naming every missing tool and the command that installs them all.</summary>
    public static void Require(IEnumerable<HostTool> tools)
    {
        var missing = tools
            .Where(t => Find(t.Program) is null && t.Alternatives.All(a => Find(a) is null))
            .DistinctBy(t => t.Program)
            .ToList();
        if (missing.Count == 0)
            return;
        var names = string.Join(", ", missing.Select(t =>
            t.Alternatives.Length == 0 ? $"{t.Program} ({t.Purpose})" : $"{t.Program} or {string.Join(" or ", t.Alternatives)} ({t.Purpose})"));
        var packages = string.Join(' ', missing.Select(t => t.Package).Distinct());
        throw new DibException(ErrorCodes.MissingHostTools,
            $"Missing host tools: {names}. Install them with: apt-get install -y {packages}");
    }
}
