using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Restores a stage snapshot (tree, hooks, build folder) from the stage cache.</summary>
public sealed class RestoreStage : DibTask
{
    [Required]
    public string CacheDirectory { get; set; } = "";

    [Required]
    public string Key { get; set; } = "";

    /// <summary>The build's work folder (obj/.../dib/), which holds tree/, hooks/ and build/.</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (!await new StageCache(CacheDirectory, new ProcessRunner(log), log).TryRestoreAsync(Key, WorkDirectory, CancellationToken))
            throw new DibException(ErrorCodes.CacheEntryCorrupt,
                $"Stage snapshot {Key} disappeared or became corrupt while the build was starting. Build again; the stage will be rebuilt.");
        log.Progress($"Restored stage snapshot {Key[..12]} in {started.Elapsed.TotalSeconds:F1} s");
    }
}
