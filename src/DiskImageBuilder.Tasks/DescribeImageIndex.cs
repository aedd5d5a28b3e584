using System.Globalization;
using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills Size and Sha256 of the multi-platform OCI archive's DiskImageOutput item from the record WriteImageIndex left
/// (<see cref="ImageIndexBuilder.DescribeAsync"/>). Runs on every build of TargetArchs, written or skipped.
/// </summary>
public sealed class DescribeImageIndex : DibTask
{
    /// <summary>The outer build's work folder (obj/&lt;Configuration&gt;/dib/).</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    /// <summary>Identity = the archive; metadata Format, TargetArch, ChecksumFiles.</summary>
    [Required]
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>The same items with Size and Sha256 added when the archive exists.</summary>
    [Output]
    public ITaskItem[] Described { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var builder = new ImageIndexBuilder(new WorkFolder(WorkDirectory, ImageName), log);
        var described = new List<ITaskItem>();
        foreach (var output in Outputs)
        {
            var item = new TaskItem(output);
            if (await builder.DescribeAsync(output.GetMetadata("FullPath"), CancellationToken) is { } facts)
            {
                item.SetMetadata("Size", facts.Size.ToString(CultureInfo.InvariantCulture));
                item.SetMetadata("Sha256", facts.Sha256);
            }
            described.Add(item);
        }
        Described = [.. described];
    }
}
