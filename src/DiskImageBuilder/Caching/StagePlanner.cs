using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Caching;

/// <summary>
/// Decides, for a build whose inputs changed, which stage snapshot to start from and which stages to
/// run: the deepest stage whose key the cache holds (and whose entry verifies) is restored; every
/// later stage runs, with the reason logged (the first input that differs from the last build's).
/// Inside the first stage that runs, the deepest cache point (the tree after one of its scripts) whose
/// key still matches is restored instead, and the stage resumes after that script.
/// </summary>
public sealed class StagePlanner(StageCache? cache, IBuildLog log)
{
    public async Task<StagePlan> PlanAsync(IReadOnlyDictionary<string, SortedDictionary<string, string>> inputs,
        StageRecord? previous, IReadOnlyList<Element> elements, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var points = new List<IReadOnlyList<ResumePoint>>();
        string? previousKey = null;
        foreach (var stage in TreeStage.All)
        {
            // The root stage has no points: root.d makes the tree in one step, and extra-data.d is followed
            // by the package-installs squash, which a resumed phase would skip.
            points.Add(previousKey is null || inputs[stage.Name].Count == 0 ? []
                : ResumePoints.For(stage, previousKey, inputs[stage.Name], elements));
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

        // Inside the first stage that runs: the deepest point the cache holds.
        ResumePoint? resume = null;
        if (cache is not null && restoreIndex + 1 < keys.Count)
        {
            foreach (var point in points[restoreIndex + 1].Reverse())
            {
                if (await cache.VerifyAsync(point.Key, cancellationToken))
                {
                    resume = point;
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
                reason = i == restoreIndex && resume is null ? "cache hit, restored" : "cache hit";
            else
            {
                var difference = StageRecord.FirstDifference(previous?.Inputs.GetValueOrDefault(stage), inputs[stage]);
                reason = cache is null ? $"cache off; {difference}"
                    : difference == "an earlier stage ran" || (earlierRan && difference == "no earlier build of this project" && previous is not null)
                        ? "cache miss: an earlier stage ran"
                        : $"cache miss: {difference}";
                if (resume is not null && resume.Stage == stage)
                    reason += $"; resumes after {resume.Name} (cache hit, restored)";
                earlierRan = true;
            }
            decisions.Add(new StageDecision(stage, keys[i], !run, run, reason));
            log.Progress($"stage {stage}: {(run ? "runs" : "skipped")} ({reason}) [{keys[i][..12]}]");
        }
        return new StagePlan(decisions, resume?.Key ?? (restoreIndex >= 0 ? keys[restoreIndex] : null), resume,
            [.. points.Skip(restoreIndex + 1).SelectMany(p => p)]);
    }
}
