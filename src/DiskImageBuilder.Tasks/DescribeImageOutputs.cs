using System.Globalization;
using DiskImageBuilder.Outputs;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills Size and Sha256 of the DiskImageOutput items from the records ConvertImage left, computing
/// the hash only when a record is missing or stale. Runs on every build, converted or skipped.
/// </summary>
public sealed class DescribeImageOutputs : DibTask
{
    /// <summary>Identity = output path; metadata Format, TargetArch.</summary>
    [Required]
    public ITaskItem[] Outputs { get; set; } = [];

    [Required]
    public string RecordsDirectory { get; set; } = "";

    /// <summary>The same items with Size and Sha256 added.</summary>
    [Output]
    public ITaskItem[] Described { get; set; } = [];

    protected override async Task ExecuteCoreAsync(Diagnostics.IBuildLog log)
    {
        var described = new List<ITaskItem>();
        foreach (var output in Outputs)
        {
            var item = new TaskItem(output);
            if (File.Exists(output.ItemSpec))
            {
                var record = OutputRecord.Load(RecordsDirectory, output.ItemSpec);
                var sha256 = record?.Sha256
                    ?? (await Checksums.WriteAsync(output.ItemSpec, [], CancellationToken))["sha256"];
                item.SetMetadata("Size", new FileInfo(output.ItemSpec).Length.ToString(CultureInfo.InvariantCulture));
                item.SetMetadata("Sha256", sha256);
            }
            described.Add(item);
        }
        Described = [.. described];
    }
}
