using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Phases;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Prints the table of phase and script times at the end of an image build.</summary>
public sealed class ReportTimings : DibTask
{
    /// <summary>Identity = phase/script; metadata Element, Seconds (RunPhase's Timings).</summary>
    public ITaskItem[] Timings { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var rows = Timings.Select(t =>
        {
            var parts = t.ItemSpec.Split('/', 2);
            return (parts[0], parts.Length > 1 ? parts[1] : "", t.GetMetadata("Element"),
                double.Parse(t.GetMetadata("Seconds"), CultureInfo.InvariantCulture));
        });
        foreach (var line in TimingTable.Format(rows))
            log.Progress(line);
        return Task.CompletedTask;
    }
}
