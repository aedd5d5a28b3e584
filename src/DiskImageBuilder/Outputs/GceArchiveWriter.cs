using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The gce output, NAME.gce.tar.gz, as Google documents an image import: a gzip'd tar in GNU format ("oldgnu", what
/// `tar --format=oldgnu` writes) holding exactly one file, disk.raw, stored sparse, whose size is a whole number of GiB
/// (the plan rounds the disk up when gce is asked for). The disk is hard-linked (or copied sparse) under that name in
/// a scratch folder beside the output, and GNU tar writes the archive.
/// </summary>
public sealed class GceArchiveWriter(ProcessRunner runner)
{
    /// <summary>The one file name Compute Engine's import reads.</summary>
    public const string DiskFileName = "disk.raw";

    /// <summary>Compute Engine imports disks of whole GiB.</summary>
    public const long SizeMultiple = 1L << 30;

    public async Task WriteAsync(string rawPath, string outputPath, long? sourceDateEpoch, CancellationToken cancellationToken)
    {
        var size = new FileInfo(rawPath).Length;
        if (size % SizeMultiple != 0)
            throw new DibException(ErrorCodes.CloudDiskSize,
                $"The gce output needs a disk of whole GiB, and {rawPath} has {size} bytes. Set ImageSize to a whole number of GiB, or leave it unset.");
        var scratch = outputPath + ".d" + AtomicFile.PartialSuffix;
        try
        {
            Directory.CreateDirectory(scratch);
            var disk = Path.Combine(scratch, DiskFileName);
            File.Delete(disk);
            // A hard link where the work folder and the output share a filesystem, else a sparse copy.
            if (!(await runner.RunAsync(new ProcessSpec("ln", ["--", rawPath, disk]), cancellationToken)).Succeeded)
            {
                await runner.RunCheckedAsync(new ProcessSpec("cp", ["--sparse=always", "--reflink=auto", "--", rawPath, disk]),
                    ErrorCodes.ConversionFailed, "Copying the raw disk for the gce output", cancellationToken);
            }
            await AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(
                new ProcessSpec("tar", ["--format=oldgnu", "--sparse", "--owner=0", "--group=0", "--numeric-owner", "--use-compress-program=gzip -n",
                    .. VagrantBoxWriter.TarTime(sourceDateEpoch),
                    "-cf", temporary, "-C", scratch, DiskFileName], OutputPrefix: "tar: "),
                ErrorCodes.ConversionFailed, "Writing the gce archive", token), cancellationToken);
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
    }
}
