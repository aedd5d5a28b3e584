using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>A squashfs image of the root tree (mksquashfs), without the device nodes under /dev.</summary>
public sealed class SquashfsWriter(ProcessRunner runner)
{
    public async Task WriteAsync(string tree, string outputPath, CancellationToken cancellationToken)
    {
        var temporary = outputPath + ".partial";
        File.Delete(temporary);
        try
        {
            await runner.RunCheckedAsync(new ProcessSpec("mksquashfs",
                [tree, temporary, "-noappend", "-no-progress", "-quiet", "-wildcards", "-e", "dev/*"],
                OutputPrefix: "mksquashfs: "), ErrorCodes.ConversionFailed, "Writing the squashfs image", cancellationToken);
            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
