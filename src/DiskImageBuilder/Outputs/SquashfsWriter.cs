using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>A squashfs image of the root tree (mksquashfs), without the device nodes under /dev.</summary>
public sealed class SquashfsWriter(ProcessRunner runner)
{
    public Task WriteAsync(string tree, string outputPath, CancellationToken cancellationToken) =>
        AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(new ProcessSpec("mksquashfs",
            [tree, temporary, "-noappend", "-no-progress", "-quiet", "-wildcards", "-e", "dev/*"],
            OutputPrefix: "mksquashfs: "), ErrorCodes.ConversionFailed, "Writing the squashfs image", token), cancellationToken);
}
