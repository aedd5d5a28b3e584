using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Converts the raw disk into the formats virtual machines take, through qemu-img. Writes to a
/// temporary name and renames, so an interrupted conversion never leaves a file under the output's name.
/// </summary>
public sealed class QemuImgConverter(ProcessRunner runner)
{
    public static readonly IReadOnlyList<string> Qcow2Compressions = ["none", "zlib", "zstd"];
    public static readonly IReadOnlyList<string> VhdSubformats = ["dynamic", "fixed"];

    /// <summary>The qemu-img output driver and its options for one of our format names.</summary>
    public static IReadOnlyList<string> ConvertArguments(string format, OutputOptions options) => format switch
    {
        // -c compresses every cluster; -m 2 -W lets qemu-img use both cores of a small host. -W writes clusters in the order
        // they finish, so with SOURCE_DATE_EPOCH (the same bytes every build) the writes stay in order.
        "qcow2" when options.Qcow2Compression != "none" =>
            ["-O", "qcow2", "-c", "-o", $"compression_type={options.Qcow2Compression}", "-m", "2", .. options.SourceDateEpoch is null ? ["-W"] : Array.Empty<string>()],
        "qcow2" => ["-O", "qcow2"],
        // qemu's VHD driver is "vpc". force_size keeps the exact size instead of rounding to a CHS
        // geometry, so a fixed VHD's size stays the whole MiB that Azure requires.
        "vhd" => ["-O", "vpc", "-o", $"subformat={options.VhdSubformat},force_size=on"],
        "vhdx" => ["-O", "vhdx", "-o", "subformat=dynamic"],
        // streamOptimized is what ESXi's OVF/OVA import and VMware's tools expect of a single-file disk.
        "vmdk" => ["-O", "vmdk", "-o", "subformat=streamOptimized"],
        "vdi" => ["-O", "vdi"],
        _ => throw new ArgumentException($"'{format}' is not a qemu-img output of this SDK.", nameof(format)),
    };

    public async Task ConvertAsync(string rawPath, string format, string outputPath, OutputOptions options,
        CancellationToken cancellationToken)
    {
        await AtomicFile.CreateAsync(outputPath, (temporary, token) =>
            runner.RunCheckedAsync(new ProcessSpec("qemu-img", ["convert", "-f", "raw", .. ConvertArguments(format, options), rawPath, temporary],
                OutputPrefix: "qemu-img: "), ErrorCodes.ConversionFailed, $"Converting {Path.GetFileName(rawPath)} to {format}", token),
            cancellationToken);
    }
}
