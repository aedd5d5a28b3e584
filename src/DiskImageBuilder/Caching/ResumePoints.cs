using DiskImageBuilder.Elements;
using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Caching;

/// <summary>
/// The cache points inside one stage, one after each script the elements ship for its phases, in run
/// order. A change to a late script (install.d/60-foo) leaves the keys of the points before it as they
/// were, so the build can restore the tree as it was after the last unchanged expensive script instead
/// of running the whole stage again. Scripts that earlier phases generate have no point of their own;
/// they are covered by the root stage's key, which every key chains from.
/// </summary>
public static class ResumePoints
{
    /// <summary>
    /// The points of <paramref name="stage"/>, whose own inputs (as StageInputs names them) are
    /// <paramref name="stageInputs"/> and whose previous stage has the key <paramref name="previousKey"/>.
    /// </summary>
    public static IReadOnlyList<ResumePoint> For(TreeStage stage, string previousKey, IReadOnlyDictionary<string, string> stageInputs,
        IReadOnlyList<Element> elements)
    {
        var points = new List<ResumePoint>();
        for (var phaseIndex = 0; phaseIndex < stage.Phases.Count; phaseIndex++)
        {
            var phase = stage.Phases[phaseIndex];
            var laterPhases = stage.Phases.Skip(phaseIndex + 1).ToHashSet(StringComparer.Ordinal);
            var topLevel = TopLevelEntries(phase, elements);
            var scripts = RunPartsOrder.Order(topLevel.Select(e => (e.Name, e.IsExecutable, e.IsRegularFile))
                .DistinctBy(e => e.Name)).Run;
            foreach (var script in scripts)
            {
                // Only scripts that run later are left out; any other file of the folder may be read earlier.
                var later = topLevel.Where(e => RunPartsOrder.Comparer.Compare(e.Name, script) > 0 && scripts.Contains(e.Name))
                    .Select(e => e.InputName).ToHashSet(StringComparer.Ordinal);
                var inputs = stageInputs
                    .Where(i => !later.Contains(i.Key) && !laterPhases.Any(p => IsOfPhase(i.Key, p)))
                    .ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
                points.Add(new ResumePoint(stage.Name, phase, script,
                    StageKey.Compute(previousKey, $"{stage.Name} after {phase}/{script}", inputs)));
            }
        }
        return points;
    }

    /// <summary>Whether a StageInputs name ("element 'foo' install.d/50-bar") is a file of <paramref name="phase"/>.</summary>
    private static bool IsOfPhase(string inputName, string phase) => inputName.Contains($"' {phase}/", StringComparison.Ordinal);

    private static List<(string Name, bool IsExecutable, bool IsRegularFile, string InputName)> TopLevelEntries(string phase,
        IReadOnlyList<Element> elements)
    {
        var entries = new List<(string, bool, bool, string)>();
        foreach (var element in elements)
        {
            var directory = Path.Combine(element.Path, phase);
            if (!Directory.Exists(directory))
                continue;
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
                entries.Add((entry.Name, entry is FileInfo && RunPartsOrder.IsExecutable(entry), RunPartsOrder.IsRegularFile(entry),
                    $"element '{element.Name}' {phase}/{entry.Name}"));
        }
        return entries;
    }
}
