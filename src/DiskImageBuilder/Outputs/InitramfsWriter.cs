using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The initramfs output (NAME.initramfs): the whole root tree as a zstd-compressed newc cpio archive, so that a
/// machine given the image's kernel and this file boots and runs from RAM with no disk. zstd is what Debian's and
/// Ubuntu's kernels unpack fastest (CONFIG_RD_ZSTD); the sizes go to the build's log.
/// </summary>
public sealed class InitramfsWriter(ProcessRunner runner, IBuildLog log)
{
    /// <summary>zstd's level: 9 makes an image about 10 % smaller than the default 3 at a few seconds more per GiB.</summary>
    public const int CompressionLevel = 9;

    public Task WriteAsync(string tree, string outputPath, CancellationToken cancellationToken) =>
        AtomicFile.CreateAsync(outputPath, async (temporary, token) =>
        {
            var archive = temporary + ".cpio";
            try
            {
                await AtomicFile.WriteAsync(archive, (stream, ct) => new RootTreeCpio(runner, log).WriteAsync(tree, stream, ct), token);
                await runner.RunCheckedAsync(new ProcessSpec("zstd",
                        ["-q", "-f", "-T0", $"-{CompressionLevel}", "--check", "-o", temporary, "--", archive]),
                    ErrorCodes.ConversionFailed, "Compressing the initramfs with zstd", token);
                log.Progress($"initramfs: {Size(new FileInfo(archive).Length)} of files, {Size(new FileInfo(temporary).Length)} compressed " +
                    "(the machine that boots it needs memory for both, and the root filesystem is half its memory by default)");
            }
            finally
            {
                File.Delete(archive);
            }
        }, cancellationToken);

    private static string Size(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F0} MiB");
}
