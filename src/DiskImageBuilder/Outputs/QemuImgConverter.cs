using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Converts the raw disk into the formats virtual machines take, through qemu-img. Writes to a
/// temporary name and renames, so an interrupted conversion never leaves a file under the output's name.
/// </summary>
public sealed class QemuImgConverter(ProcessRunner runner)
{
    public static readonly IReadOnlyList<string> Qcow2Compressions = ["none", "zlib", "zstd"];

    public async Task ConvertAsync(string rawPath, string format, string outputPath, string qcow2Compression,
        CancellationToken cancellationToken)
    {
        var temporary = outputPath + ".partial";
        var args = new List<string> { "convert", "-f", "raw", "-O", format };
        if (format == "qcow2" && qcow2Compression != "none")
        {
            // -c compresses every cluster; -m 2 -W lets qemu-img use both cores of a small host.
            args.AddRange(["-c", "-o", $"compression_type={qcow2Compression}", "-m", "2", "-W"]);
        }
        args.AddRange([rawPath, temporary]);
        try
        {
            await runner.RunCheckedAsync(new ProcessSpec("qemu-img", args, OutputPrefix: "qemu-img: "),
                ErrorCodes.ConversionFailed, $"Converting {Path.GetFileName(rawPath)} to {format}", cancellationToken);
            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
