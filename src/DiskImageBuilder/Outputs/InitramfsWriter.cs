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

    public Task WriteAsync(string tree, string outputPath, long memoryBytes, CancellationToken cancellationToken) =>
        AtomicFile.CreateAsync(outputPath, async (temporary, token) =>
        {
            var archive = temporary + ".cpio";
            try
            {
                await AtomicFile.WriteAsync(archive, (stream, ct) => new RootTreeCpio(runner, log).WriteAsync(tree, stream, ct), token);
                RequireFits(new FileInfo(archive).Length, memoryBytes);
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

    /// <summary>
    /// DIB4003 when the files would not fit the tmpfs the kernel unpacks them into, half of the machine's memory
    /// (the kernel's default for its root tmpfs), before the archive is compressed.
    /// </summary>
    internal static void RequireFits(long archiveBytes, long memoryBytes)
    {
        if (archiveBytes <= memoryBytes / 2)
            return;
        var needed = (archiveBytes * 2 + (1L << 30) - 1) >> 30 << 30;
        throw new DibException(ErrorCodes.RamdiskTooLarge,
            $"The initramfs holds {Size(archiveBytes)} of files, and a machine with RamdiskMemory {Size(memoryBytes)} unpacks it into a " +
            $"root filesystem of half that, {Size(memoryBytes / 2)}. Set RamdiskMemory to the memory of the machines that boot it " +
            $"(at least {needed >> 30} GiB), or leave packages out of the image.");
    }

    private static string Size(long bytes) => bytes < 1L << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F0} MiB");
}
