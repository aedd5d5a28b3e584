namespace DiskImageBuilder.Caching;

/// <summary>For one stage: its key, whether the cache has it, and why it must run when it must.</summary>
public sealed record StageDecision(string Stage, string Key, bool CacheHit, bool Run, string Reason);
