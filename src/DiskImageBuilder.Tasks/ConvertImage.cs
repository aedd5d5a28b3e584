using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Turns the raw disk into each requested format through qemu-img (the raw file itself is copied
/// sparse when 'raw' is asked for) and returns one DiskImageOutput item per file.
/// </summary>
public sealed class ConvertImage : DibTask
{
    [Required]
    public string RawPath { get; set; } = "";

    /// <summary>Formats, ';'-separated (ImageFormats).</summary>
    [Required]
    public string Formats { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    public string TargetArch { get; set; } = "";

    /// <summary>none, zlib or zstd.</summary>
    public string Qcow2Compression { get; set; } = "zlib";

    /// <summary>Identity = file path; metadata Format, TargetArch, Size.</summary>
    [Output]
    public ITaskItem[] Outputs { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var formats = ImageFormatList.Parse(Formats);
        if (!QemuImgConverter.Qcow2Compressions.Contains(Qcow2Compression))
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"Qcow2Compression '{Qcow2Compression}' is not known. Use one of: {string.Join(", ", QemuImgConverter.Qcow2Compressions)}.");
        Directory.CreateDirectory(OutputDirectory);
        var runner = new ProcessRunner(log);
        var outputs = new List<ITaskItem>();
        foreach (var format in formats)
        {
            var path = Path.Combine(OutputDirectory, $"{ImageName}.{format}");
            var started = System.Diagnostics.Stopwatch.StartNew();
            if (format == "raw")
                await CopySparseAsync(runner, RawPath, path);
            else
                await new QemuImgConverter(runner).ConvertAsync(RawPath, format, path, Qcow2Compression, CancellationToken);
            var size = new FileInfo(path).Length;
            log.Progress($"{format}: {path} ({size / (1024 * 1024)} MiB) in {started.Elapsed.TotalSeconds:F1} s");
            var item = new TaskItem(path);
            item.SetMetadata("Format", format);
            item.SetMetadata("TargetArch", TargetArch);
            item.SetMetadata("Size", size.ToString(CultureInfo.InvariantCulture));
            outputs.Add(item);
        }
        Outputs = [.. outputs];
    }

    private async Task CopySparseAsync(ProcessRunner runner, string source, string destination)
    {
        var temporary = destination + ".partial";
        try
        {
            await runner.RunCheckedAsync(new ProcessSpec("cp", ["--sparse=always", "--", source, temporary]),
                ErrorCodes.ConversionFailed, "Copying the raw disk", CancellationToken);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
