using System.Globalization;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The summary printed when an image is done: per phase its total and its scripts, slowest first,
/// like dib-run-parts' PROFILING table but for the whole build.
/// </summary>
public static class TimingTable
{
    public static IReadOnlyList<string> Format(IEnumerable<(string Phase, string Script, string Element, double Seconds)> timings)
    {
        var rows = timings.ToList();
        if (rows.Count == 0)
            return [];
        var width = Math.Max(24, rows.Max(r => r.Script.Length + r.Element.Length + 5));
        var lines = new List<string> { $"{"Phase / script (element)".PadRight(width)} {"seconds",8}" };
        var phaseOrder = PhaseNames.All.Select(p => p.Directory).ToList();
        foreach (var phase in rows.GroupBy(r => r.Phase).OrderBy(g => phaseOrder.IndexOf(g.Key)))
        {
            lines.Add($"{phase.Key.PadRight(width)} {Seconds(phase.Sum(r => r.Seconds)),8}");
            foreach (var row in phase.OrderByDescending(r => r.Seconds).ThenBy(r => r.Script, StringComparer.Ordinal))
                lines.Add($"{("  " + row.Script + " (" + row.Element + ")").PadRight(width)} {Seconds(row.Seconds),8}");
        }
        lines.Add($"{"total".PadRight(width)} {Seconds(rows.Sum(r => r.Seconds)),8}");
        return lines;
    }

    private static string Seconds(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
