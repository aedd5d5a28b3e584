using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Saves the tree after a stage into the stage cache, then trims the cache to its size limit.</summary>
public sealed class SaveStage : DibTask
{
    [Required]
    public string CacheDirectory { get; set; } = "";

    [Required]
    public string Key { get; set; } = "";

    [Required]
    public string WorkDirectory { get; set; } = "";

    /// <summary>The cache's size limit (DiskImageCacheMaxSize), e.g. 20GiB.</summary>
    public string MaxSize { get; set; } = "20GiB";

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var cache = new StageCache(CacheDirectory, new ProcessRunner(log), log);
        await cache.SaveAsync(Key, WorkDirectory, CancellationToken);
        cache.Trim(BlockDevice.SizeParser.Parse(MaxSize, "DiskImageCacheMaxSize"));
        log.Detail($"Saved stage snapshot {Key[..12]} in {started.Elapsed.TotalSeconds:F1} s");
    }
}
