using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Caching;

/// <summary>
/// Decides, for a build whose inputs changed, which stage snapshot to start from and which stages to
/// run: the deepest stage whose key the cache holds (and whose entry verifies) is restored; every
/// later stage runs, with the reason logged (the first input that differs from the last build's).
/// </summary>
public sealed class StagePlanner(StageCache? cache, IBuildLog log)
{
    public async Task<IReadOnlyList<StageDecision>> PlanAsync(IReadOnlyDictionary<string, SortedDictionary<string, string>> inputs,
        StageRecord? previous, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        string? previousKey = null;
        foreach (var stage in TreeStage.All)
        {
            // A stage that no element has scripts for leaves the tree as it was: it shares the previous
            // stage's key, so no second copy of the same tree is written.
            if (previousKey is null || inputs[stage.Name].Count > 0)
                previousKey = StageKey.Compute(previousKey, stage.Name, inputs[stage.Name]);
            keys.Add(previousKey);
        }

        var restoreIndex = -1;
        if (cache is not null)
        {
            for (var i = keys.Count - 1; i >= 0; i--)
            {
                if (await cache.VerifyAsync(keys[i], cancellationToken))
                {
                    restoreIndex = i;
                    break;
                }
            }
        }

        var decisions = new List<StageDecision>();
        var earlierRan = false;
        for (var i = 0; i < keys.Count; i++)
        {
            var stage = TreeStage.All[i].Name;
            var run = i > restoreIndex;
            string reason;
            if (!run)
                reason = i == restoreIndex ? "cache hit, restored" : "cache hit";
            else
            {
                var difference = StageRecord.FirstDifference(previous?.Inputs.GetValueOrDefault(stage), inputs[stage]);
                reason = cache is null ? $"cache off; {difference}"
                    : difference == "an earlier stage ran" || (earlierRan && difference == "no earlier build of this project" && previous is not null)
                        ? "cache miss: an earlier stage ran"
                        : $"cache miss: {difference}";
                earlierRan = true;
            }
            decisions.Add(new StageDecision(stage, keys[i], !run, run, reason));
            log.Progress($"stage {stage}: {(run ? "runs" : "skipped")} ({reason}) [{keys[i][..12]}]");
        }
        return decisions;
    }
}
