using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Build;

/// <summary>
/// The outputs of a planned build: each format from the raw disk or the tree, its checksum files, and a record of
/// size and SHA-256 in the work folder so that a build that converts nothing still describes its outputs; and the
/// NAME.manifests/ folder beside them.
/// </summary>
public sealed class OutputBuilder(ImageBuildPlan plan, IBuildLog log)
{
    private readonly ProcessRunner _runner = new(log);

    /// <summary>Writes the planned outputs of the given formats (MSBuild passes only those that are out of date).</summary>
    public async Task WriteAsync(IReadOnlyCollection<string> formats, CancellationToken cancellationToken)
    {
        var writer = new OutputWriter(_runner, log);
        var options = plan.OutputOptions();
        Directory.CreateDirectory(plan.Settings.OutputDirectory);
        // Archives made from the tree see what the disk's filesystems see: the build's logs emptied, its times clamped.
        if (plan.SourceDateEpoch is { } epoch && plan.Outputs.Any(o => !o.Format.FromDisk && formats.Contains(o.Format.Name)))
        {
            await ReproducibleTree.PrepareAsync(_runner, plan.Work.Tree, epoch, cancellationToken);
            log.Progress(ReproducibleTree.Summary(epoch));
        }
        foreach (var output in plan.Outputs.Where(o => formats.Contains(o.Format.Name)))
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await writer.WriteAsync(output.Format, plan.Work.RawDisk, plan.Work.Tree, output.Path, options, cancellationToken);
            var digests = await Checksums.WriteAsync(output.Path, plan.ChecksumAlgorithms, cancellationToken);
            var size = new FileInfo(output.Path).Length;
            new OutputRecord(output.Path, output.Format.Name, size, digests["sha256"], File.GetLastWriteTimeUtc(output.Path)).Save(plan.Work.OutputRecords);
            log.Progress($"{output.Format.Name}: {output.Path} ({size / (1024.0 * 1024):F1} MiB) in {started.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>Size and SHA-256 of an output that exists (from its record, or computed when the record is missing or stale).</summary>
    public Task<(long Size, string Sha256)?> DescribeAsync(string path, CancellationToken cancellationToken) =>
        OutputRecord.DescribeAsync(plan.Work.OutputRecords, path, cancellationToken);

    /// <summary>NAME.manifests/: elements, environment (secrets masked), packages, layout, and the hashes of every input file.</summary>
    public async Task WriteManifestsAsync(string directory, IReadOnlyList<string> inputFiles, CancellationToken cancellationToken)
    {
        var context = plan.Context();
        var phase = PhaseNames.Find(PhaseNames.Install)!;
        var environment = await new EnvironmentProbe(_runner).ReadAsync(plan.Work.Sandbox,
            Path.Combine(plan.Work.Hooks, "environment.d"), PhaseEnvironment.For(phase, context), cancellationToken);
        var elementEnvironment = environment
            .Where(v => v.Key.StartsWith("DIB_", StringComparison.Ordinal) || v.Key is "DISTRO_NAME" or "ARCH" or "IMAGE_ELEMENT")
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        await new BuildManifest(_runner).WriteAsync(new ManifestRequest(directory, plan.Work.Tree, plan.Elements, elementEnvironment,
            inputFiles, plan.Work.LayoutRecord,
            Directory.Exists(plan.Work.ElementManifests) ? plan.Work.ElementManifests : null,
            plan.Settings.ElementEnvironment.Where(i => i.Secret).Select(i => i.Name).ToHashSet(StringComparer.Ordinal), plan.SourceDateEpoch), cancellationToken);
        log.Progress($"manifests: {directory}");
    }
}
