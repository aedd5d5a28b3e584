using System.Diagnostics;
using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;
using NuGet.Versioning;

namespace DiskImageBuilder.Host;

/// <summary>
/// Reads host programs' versions (`PROGRAM --version`) and compares them with <see cref="HostToolMinimum"/>s. A program
/// that is not installed is left to <see cref="HostTools.Require"/>; one whose version cannot be read is not refused.
/// </summary>
public static partial class HostToolVersions
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The first version number in a program's --version text: "qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7)" gives
    /// 7.2.22, "mmdebstrap 1.3.5" gives 1.3.5. Null when there is none.
    /// </summary>
    public static NuGetVersion? Parse(string versionText)
    {
        var match = VersionNumber().Match(versionText);
        if (!match.Success)
            return null;
        var patch = match.Groups["patch"].Success ? int.Parse(match.Groups["patch"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new NuGetVersion(
            int.Parse(match.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture), patch);
    }

    /// <summary>Throws DIB5006 naming every installed program older than its minimum, with both versions.</summary>
    public static void Require(IEnumerable<HostToolMinimum> minimums, IBuildLog? log = null)
    {
        var tooOld = new List<string>();
        foreach (var minimum in minimums.DistinctBy(m => (m.Program, m.Minimum)))
        {
            var path = HostTools.Find(minimum.Program);
            if (path is null)
                continue;
            var text = ReadVersionText(path);
            var installed = text is null ? null : Parse(text);
            if (installed is null)
            {
                log?.Detail($"The version of {path} could not be read; {minimum.Needs} needs {minimum.Minimum} or later.");
                continue;
            }
            log?.Detail($"{minimum.Program} {installed} (at least {minimum.Minimum} for {minimum.Needs})");
            if (installed < minimum.Minimum)
                tooOld.Add($"{path} is version {installed}, and {minimum.Needs} needs {minimum.Minimum} or later: " +
                           $"install a newer one{(minimum.Fix.Length == 0 ? "" : ", " + minimum.Fix)}");
        }
        if (tooOld.Count > 0)
            throw new DibException(ErrorCodes.HostToolTooOld, "A host tool is too old. " + string.Join(". ", tooOld) + ".");
    }

    private static string? ReadVersionText(string path)
    {
        try
        {
            var start = new ProcessStartInfo(path, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return output.Result + "\n" + error.Result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?<![\d.:])(?<major>\d+)\.(?<minor>\d+)(?:\.(?<patch>\d+))?")]
    private static partial Regex VersionNumber();
}
