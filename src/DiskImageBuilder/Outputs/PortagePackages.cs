using System.Text.RegularExpressions;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The packages of a Gentoo tree as portage records them (/var/db/pkg/CATEGORY/PF/), for packages.txt: one
/// "category/name\tversion\tarchitecture" line each, the architecture the first part of the package's CHOST.
/// Read as files from the host (Debian has no portage); a link anywhere on the way is not followed.
/// </summary>
public static partial class PortagePackages
{
    public const string Database = "var/db/pkg";

    public static IReadOnlyList<string> Read(string tree)
    {
        var database = Path.Combine(tree, Database);
        if (Sandbox.TreePaths.FirstUnsafeComponent(tree, Database) is not null || !Directory.Exists(database))
            return [];
        var lines = new List<string>();
        foreach (var category in RealDirectories(database))
        {
            foreach (var package in RealDirectories(category))
            {
                // PF is name-version[-rN]; the version starts at the last "-" that a digit follows.
                var match = NameAndVersion().Match(Path.GetFileName(package));
                if (!match.Success)
                    continue;
                var arch = Chost(Path.Combine(package, "CHOST"))?.Split('-', 2)[0] ?? "";
                lines.Add($"{Path.GetFileName(category)}/{match.Groups["name"].Value}\t{match.Groups["version"].Value}\t{arch}");
            }
        }
        return lines;
    }

    /// <summary>
    /// The CHOST file's text, when it is a small regular file: a pipe or a device node (which report no length) is
    /// never opened, as a script of the image could have made one there.
    /// </summary>
    private static string? Chost(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || info.Length is 0 or > MaxChostBytes)
            return null;
        return File.ReadAllText(path).Trim();
    }

    private const int MaxChostBytes = 256;

    private static IEnumerable<string> RealDirectories(string directory) =>
        Directory.EnumerateDirectories(directory)
            .Where(d => (File.GetAttributes(d) & FileAttributes.ReparsePoint) == 0 && !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"^(?<name>.+?)-(?<version>\d[^-]*(-r\d+)?)$")]
    private static partial Regex NameAndVersion();
}
