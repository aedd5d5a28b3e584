namespace DiskImageBuilder.Build;

/// <summary>
/// A stage that runs, as <see cref="TreeBuilder.PrepareAsync"/> planned it: the key its snapshot is saved under,
/// the script ("install.d/20-debian-kernel") whose cache point the build restored (its stage's scripts up to it
/// already ran; null runs every script), and its cache points (phase/script → key).
/// </summary>
public sealed record StageRun(string Stage, string Key, string? ResumeAfter, IReadOnlyDictionary<string, string> CachePoints);
