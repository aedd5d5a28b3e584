using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// The outer build of TargetArchs: checks the whole list before any inner build starts (every unknown name in one
/// DIB1001, two spellings of one architecture DIB1006, a foreign architecture this host cannot run DIB5004), so
/// that a typo stops the build once instead of failing one inner build while the others work.
/// </summary>
public sealed class ResolveTargetArchs : DibTask
{
    /// <summary>The TargetArchs property as written.</summary>
    [Required]
    public string TargetArchs { get; set; } = "";

    /// <summary>One item per architecture, by its canonical name.</summary>
    [Output]
    public ITaskItem[] Architectures { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var names = TargetArchitecture.NormalizeList(TargetArchs);
        foreach (var name in names)
            ForeignArchitecture.RequireBuildable(name, TargetArchitecture.Host, log);
        Architectures = [.. names.Select(n => TaskItems.Create(n))];
        log.Progress($"Architectures: {string.Join(' ', names)}");
        return Task.CompletedTask;
    }
}
