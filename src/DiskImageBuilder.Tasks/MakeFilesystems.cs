using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Filesystems;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Fills the disk's filesystems from the finished tree, each straight into its partition's region of
/// the file (mke2fs -d -E offset=), as CreateBlockDevice recorded the layout. On failure the disk file
/// is deleted, so no half-filled disk is ever converted.
/// </summary>
public sealed class MakeFilesystems : DibTask
{
    [Required]
    public string TreeDirectory { get; set; } = "";

    [Required]
    public string DiskPath { get; set; } = "";

    [Required]
    public string LayoutRecord { get; set; } = "";

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var layout = DiskLayoutRecord.Load(LayoutRecord);
        var ext4 = new FilesystemWriters(new ProcessRunner(log)).For(FilesystemType.Ext4);
        try
        {
            foreach (var partition in layout.Partitions)
            {
                // 1 % reserved for root instead of 5 %: these are appliance images, not shared servers.
                await ext4.WriteAsync(new FilesystemRequest(DiskPath, partition.StartSector * MbrLayout.SectorSize,
                    partition.SectorCount * MbrLayout.SectorSize, FilesystemType.Ext4, TreeDirectory, partition.Label,
                    partition.Uuid.ToString(), ["-m", "1"], partition.Inodes), CancellationToken);
                log.Progress($"Filesystem: {partition.Filesystem} '{partition.Label}' ({partition.Uuid}) on {partition.Name}, filled from the tree");
            }
        }
        catch
        {
            File.Delete(DiskPath);
            throw;
        }
    }
}
