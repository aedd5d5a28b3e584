using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Publishing;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// `dotnet publish` with ContainerRegistry: pushes the project's OCI archive (the multi-platform one of TargetArchs in
/// the outer build) to the registry under each tag (<see cref="ContainerPush"/>).
/// </summary>
public sealed class PushContainerImage : DibTask
{
    /// <summary>The OCI archive (NAME.oci.tar).</summary>
    [Required]
    public string Archive { get; set; } = "";

    /// <summary>ContainerRegistry: host[:port].</summary>
    [Required]
    public string Registry { get; set; } = "";

    /// <summary>ContainerRepository.</summary>
    [Required]
    public string Repository { get; set; } = "";

    /// <summary>ContainerImageTags, or ContainerImageTag.</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>The work folder, for the private auth file of the push.</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        Directory.CreateDirectory(WorkDirectory);
        // An escaped list (-p:ContainerImageTags=a%3Bb) arrives as one string: split it here too.
        var tags = Tags.SelectMany(t => t.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        return new ContainerPush(new ProcessRunner(log), log).PushAsync(Path.GetFullPath(Archive), Registry.Trim().TrimEnd('/'),
            Repository.Trim(), tags, WorkDirectory, CancellationToken);
    }
}
