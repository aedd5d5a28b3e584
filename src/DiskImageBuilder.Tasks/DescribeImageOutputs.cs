using System.Globalization;
using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills Size and Sha256 of the DiskImageOutput items from the records ConvertImage left (<see cref="OutputBuilder.DescribeAsync"/>).
/// Runs on every build, converted or skipped.
/// </summary>
public sealed class DescribeImageOutputs : PlannedTask
{
    /// <summary>Identity = output path; metadata Format, TargetArch.</summary>
    [Required]
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>The same items with Size and Sha256 added.</summary>
    [Output]
    public ITaskItem[] Described { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var builder = new OutputBuilder(Plan, log);
        var described = new List<ITaskItem>();
        foreach (var output in Outputs)
        {
            var item = new TaskItem(output);
            if (await builder.DescribeAsync(output.ItemSpec, CancellationToken) is { } facts)
            {
                item.SetMetadata("Size", facts.Size.ToString(CultureInfo.InvariantCulture));
                item.SetMetadata("Sha256", facts.Sha256);
            }
            described.Add(item);
        }
        Described = [.. described];
    }
}
