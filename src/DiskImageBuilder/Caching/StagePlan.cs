namespace DiskImageBuilder.Caching;

/// <summary>
/// What a build does with its tree: the decision per stage, the snapshot to restore (a stage's or a
/// point's inside the first stage that runs; null for an empty tree), the point the first running stage
/// resumes after (null to run it whole), and the points of the stages that run, where scripts that take
/// long save a snapshot.
/// </summary>
public sealed record StagePlan(IReadOnlyList<StageDecision> Decisions, string? RestoreKey, ResumePoint? ResumeAfter,
    IReadOnlyList<ResumePoint> Points);
