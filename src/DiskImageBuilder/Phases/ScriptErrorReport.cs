using System.Text.RegularExpressions;

namespace DiskImageBuilder.Phases;

/// <summary>
/// A coded error that an element script reports itself: before it exits non-zero, it prints one line
/// <c>DIB2nnn: message</c> (element band only), e.g. <c>DIB2301: modprobe: DIB_MODPROBE_BLACKLIST ...</c>.
/// The phase runner then raises that code instead of the generic DIB2101, so a bad variable value reads
/// as the user's mistake it is, with the element's own words and fix.
/// </summary>
public sealed partial record ScriptErrorReport(string Code, string Message)
{
    [GeneratedRegex(@"^(?<code>DIB2[0-9]{3}): (?<message>\S.*)$")]
    private static partial Regex Line();

    /// <summary>Codes the engine raises itself; a script that prints one of them has not reported anything.</summary>
    private static readonly HashSet<string> EngineCodes = new(StringComparer.Ordinal)
    {
        Diagnostics.ErrorCodes.ScriptFailed, Diagnostics.ErrorCodes.RootTreeEmpty, Diagnostics.ErrorCodes.PhaseCancelled,
    };

    /// <summary>The last report line of a failed script's output tail, or null when it printed none.</summary>
    public static ScriptErrorReport? Find(IReadOnlyList<string> tail)
    {
        for (var i = tail.Count - 1; i >= 0; i--)
        {
            var match = Line().Match(tail[i].TrimEnd('\r'));
            if (match.Success && !EngineCodes.Contains(match.Groups["code"].Value)
                && !match.Groups["code"].Value.StartsWith("DIB29", StringComparison.Ordinal))
                return new ScriptErrorReport(match.Groups["code"].Value, match.Groups["message"].Value.TrimEnd());
        }
        return null;
    }
}
