using System.Text.RegularExpressions;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The coded error an element script reports about its own input: a line <c>DIB2nnn: message</c>
/// (codes DIB2200 to DIB2899, the band for elements' checks), or <c>DIB5050: message</c> (a host-side script that
/// refuses to write or read through a link of the tree, the engine's own code for that), among the last lines of a
/// script that failed. The last such line wins, so a script can print context before it.
/// </summary>
public sealed partial record ScriptReportedError(string Code, string Message)
{
    public static ScriptReportedError? Find(IReadOnlyList<string> tail)
    {
        ArgumentNullException.ThrowIfNull(tail);
        for (var i = tail.Count - 1; i >= 0; i--)
        {
            var match = CodedLine().Match(tail[i]);
            if (match.Success)
                return new ScriptReportedError(match.Groups["code"].Value, match.Groups["message"].Value.Trim());
        }
        return null;
    }

    [GeneratedRegex(@"^\s*(?<code>DIB2[2-8][0-9]{2}|DIB5050): (?<message>.+)$")]
    private static partial Regex CodedLine();
}
