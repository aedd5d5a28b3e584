using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Filesystems;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills the disk's filesystems from the finished tree, each straight into its byte range of the disk file (mke2fs
/// -d, mkfs.fat and mcopy, mkfs.xfs with a prototype file, mkfs.btrfs --rootdir, mkswap), as CreateBlockDevice
/// planned them: each filesystem gets the tree below its mount point, less the mount points nested below it. On
/// failure the disk file is deleted, so no half-filled disk is ever converted.
/// </summary>
public sealed class MakeFilesystems : DibTask
{
    [Required]
    public string TreeDirectory { get; set; } = "";

    [Required]
    public string DiskPath { get; set; } = "";

    [Required]
    public string LayoutRecord { get; set; } = "";

    /// <summary>A folder of the build's own, next to the tree, for the hard-link copies of nested layouts.</summary>
    [Required]
    public string ScratchDirectory { get; set; } = "";

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var plan = DiskPlan.Load(LayoutRecord);
        var runner = new ProcessRunner(log);
        var writers = new FilesystemWriters(runner);
        var mountPoints = plan.Filesystems.Select(f => f.MountPoint).OfType<string>().ToList();
        try
        {
            await using var sources = await FilesystemSources.PrepareAsync(runner, TreeDirectory, mountPoints, ScratchDirectory, CancellationToken);
            foreach (var fs in plan.Filesystems)
            {
                var source = fs.MountPoint is null ? null : sources.For(fs.MountPoint);
                await writers.For(fs.Type).WriteAsync(new FilesystemRequest(DiskPath, fs.OffsetBytes, fs.SizeBytes, fs.Type, source,
                    fs.Label, fs.Uuid, fs.Options, fs.Inodes), CancellationToken);
                log.Progress($"Filesystem: {fs.Type.Name()} '{fs.Label}' ({fs.Uuid}) on {fs.Device}" +
                             (fs.MountPoint is null ? "" : $", filled from the tree at {fs.MountPoint}"));
            }
        }
        catch
        {
            File.Delete(DiskPath);
            throw;
        }
    }
}
