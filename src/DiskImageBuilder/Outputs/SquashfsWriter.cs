using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>A squashfs image of the root tree (mksquashfs), without the device nodes under /dev.</summary>
public sealed class SquashfsWriter(ProcessRunner runner)
{
    /// <param name="sourceDateEpoch">When set, mksquashfs (4.5 and later) writes it as the filesystem's time and clamps the files' times to it.</param>
    public Task WriteAsync(string tree, string outputPath, long? sourceDateEpoch, CancellationToken cancellationToken) =>
        AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(new ProcessSpec("mksquashfs",
            [tree, temporary, "-noappend", "-no-progress", "-quiet", "-wildcards", "-e", "dev/*"],
            Environment: sourceDateEpoch is { } epoch
                ? new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : null,
            OutputPrefix: "mksquashfs: "), ErrorCodes.ConversionFailed, "Writing the squashfs image", token), cancellationToken);
}
