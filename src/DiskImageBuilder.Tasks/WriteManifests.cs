using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Writes NAME.manifests/ beside the outputs (see <see cref="BuildManifest"/>).</summary>
public sealed class WriteManifests : BuildContextTask
{
    [Required]
    public string ManifestsDirectory { get; set; } = "";

    /// <summary>Every input file: the project, the SDK's targets, the elements' files, the inputs file.</summary>
    public ITaskItem[] InputFiles { get; set; } = [];

    /// <summary>The layout record CreateBlockDevice wrote, if a disk was built.</summary>
    public string? BlockDeviceRecord { get; set; }

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var elements = TaskElements.From(ResolvedElements);
        var runner = new ProcessRunner(log);
        var context = CreateContext(elements.Select(e => e.Name));
        var phase = PhaseNames.Find(PhaseNames.Install)!;
        var environment = await new EnvironmentProbe(runner).ReadAsync(Path.Combine(BuildDirectory, "sandbox"),
            Path.Combine(HooksDirectory, "environment.d"), PhaseEnvironment.For(phase, context), CancellationToken);
        var elementEnvironment = environment
            .Where(v => v.Key.StartsWith("DIB_", StringComparison.Ordinal) || v.Key is "DISTRO_NAME" or "ARCH" or "IMAGE_ELEMENT")
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var elementManifests = Path.Combine(BuildDirectory, "dib-manifests");
        await new BuildManifest(runner).WriteAsync(new ManifestRequest(ManifestsDirectory, TreeDirectory, elements, elementEnvironment,
            [.. InputFiles.Select(i => i.GetMetadata("FullPath"))], BlockDeviceRecord,
            Directory.Exists(elementManifests) ? elementManifests : null,
            ElementEnvironment.Where(i => string.Equals(i.GetMetadata("Secret"), "true", StringComparison.OrdinalIgnoreCase))
                .Select(i => i.ItemSpec).ToHashSet(StringComparer.Ordinal)), CancellationToken);
        log.Progress($"manifests: {ManifestsDirectory}");
    }
}
