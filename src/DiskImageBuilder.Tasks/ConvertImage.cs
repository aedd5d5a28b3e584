using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes every requested output: disk formats from the raw disk through qemu-img, tree formats from
/// the root tree; then checksum files beside each (ImageChecksums) and a record of size and SHA-256
/// in the intermediate folder, so even a build that skips this step returns complete items.
/// </summary>
public sealed class ConvertImage : DibTask
{
    /// <summary>The raw disk; required when a disk format is asked for.</summary>
    public string? RawPath { get; set; }

    [Required]
    public string TreeDirectory { get; set; } = "";

    /// <summary>Formats, ';'-separated (ImageFormats).</summary>
    [Required]
    public string Formats { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>Where size and SHA-256 of each output are recorded.</summary>
    [Required]
    public string RecordsDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    public string TargetArch { get; set; } = "";

    public string Qcow2Compression { get; set; } = "zstd";

    public string VhdSubformat { get; set; } = "dynamic";

    /// <summary>sha256, md5, both (';'-separated) or none.</summary>
    public string Checksums { get; set; } = "sha256";

    /// <summary>Image name of the oci and docker outputs; empty uses the lowercase ImageName.</summary>
    public string? ContainerRepository { get; set; }

    /// <summary>Tag of the oci and docker outputs.</summary>
    public string ContainerTag { get; set; } = "latest";

    /// <summary>
    /// Files an output is made from (the disk, the tree stamp, the format settings): an output newer than
    /// all of them, with its record and checksum files, is kept, so adding a format converts only that one.
    /// </summary>
    public ITaskItem[] Sources { get; set; } = [];

    /// <summary>Labels of container images: Identity = key, metadata Value.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var formats = ImageFormatList.Parse(Formats);
        var algorithms = Outputs.Checksums.Parse(Checksums);
        var options = new OutputOptions
        {
            Qcow2Compression = Qcow2Compression,
            VhdSubformat = VhdSubformat,
            ContainerTag = ContainerTag,
            ContainerRepository = string.IsNullOrEmpty(ContainerRepository) ? ImageName.ToLowerInvariant() : ContainerRepository,
            TargetArch = TargetArch,
            Labels = Labels.ToDictionary(l => l.ItemSpec, l => l.GetMetadata("Value"), StringComparer.Ordinal),
        };
        Directory.CreateDirectory(OutputDirectory);
        var writer = new OutputWriter(new ProcessRunner(log), log);
        var newestSource = Sources.Select(s => s.ItemSpec).Where(File.Exists)
            .Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MaxValue).Max();
        foreach (var format in formats)
        {
            var path = Path.Combine(OutputDirectory, format.FileName(ImageName));
            if (IsUpToDate(path, newestSource, algorithms))
            {
                log.Progress($"{format.Name}: {path} is up to date");
                continue;
            }
            var started = System.Diagnostics.Stopwatch.StartNew();
            await writer.WriteAsync(format, RawPath, TreeDirectory, path, options, CancellationToken);
            var digests = await Outputs.Checksums.WriteAsync(path, algorithms, CancellationToken);
            var size = new FileInfo(path).Length;
            new OutputRecord(path, format.Name, size, digests["sha256"], File.GetLastWriteTimeUtc(path)).Save(RecordsDirectory);
            log.Progress($"{format.Name}: {path} ({size / (1024.0 * 1024):F1} MiB) in {started.Elapsed.TotalSeconds:F1} s");
        }
    }

    private bool IsUpToDate(string path, DateTime newestSource, IReadOnlyList<string> algorithms) =>
        Sources.Length > 0
        && File.Exists(path)
        && File.GetLastWriteTimeUtc(path) > newestSource
        && OutputRecord.Load(RecordsDirectory, path) is not null
        && algorithms.All(a => File.Exists(path + "." + a) && File.GetLastWriteTimeUtc(path + "." + a) >= File.GetLastWriteTimeUtc(path));
}
