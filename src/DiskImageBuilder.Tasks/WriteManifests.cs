using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Writes NAME.manifests/ beside the outputs (<see cref="OutputBuilder.WriteManifestsAsync"/>).</summary>
public sealed class WriteManifests : PlannedTask
{
    [Required]
    public string ManifestsDirectory { get; set; } = "";

    /// <summary>Every input file: the project, the SDK's targets, the elements' files, the inputs file.</summary>
    public ITaskItem[] InputFiles { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log) =>
        new OutputBuilder(Plan, log).WriteManifestsAsync(ManifestsDirectory, [.. InputFiles.Select(i => i.GetMetadata("FullPath"))], CancellationToken);
}
