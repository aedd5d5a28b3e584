using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Phases;

/// <summary>
/// Lets an element script that runs outside the chroot fail with a coded error of its own, for a mistake
/// its user can fix (an unknown release, a mirror that does not answer, a signature that does not verify):
/// it writes <c>DIBnnnn: message</c> into the file named by <see cref="Variable"/> and exits non-zero, and
/// the build reports that code and message instead of the generic DIB2101. Only codes of the elements'
/// own range, DIB2200 to DIB2899, are taken, so a script can neither claim an engine failure nor a warning.
/// </summary>
public static partial class ScriptErrorReport
{
    /// <summary>The variable that names the report file in the environment of scripts outside the chroot.</summary>
    public const string Variable = "DIB_SCRIPT_ERROR_FILE";

    /// <summary>Where scripts of this build write their report; one script runs at a time.</summary>
    public static string PathFor(BuildContext context) => Path.Combine(context.BuildDir, "script-error");

    /// <summary>Removes a report left by an earlier script, so that each failure is read fresh.</summary>
    public static void Reset(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
    }

    /// <summary>
    /// The coded error the failed <paramref name="script"/> reported, or null when it wrote no report or
    /// one without a code of the elements' range (the caller then reports DIB2101 with the output's tail).
    /// </summary>
    public static DibException? Read(string path, PhaseScript script, string phaseDirectory)
    {
        if (!File.Exists(path))
            return null;
        var text = File.ReadAllText(path).Trim();
        var match = CodedMessage().Match(text);
        if (!match.Success)
            return null;
        return new DibException(match.Groups["code"].Value,
            $"{match.Groups["message"].Value.Trim()} (element '{script.ElementName}', {phaseDirectory}/{script.Name})",
            file: script.FullPath);
    }

    [GeneratedRegex(@"\A(?<code>DIB2[2-8][0-9]{2}): (?<message>.+)\z", RegexOptions.Singleline)]
    private static partial Regex CodedMessage();
}
