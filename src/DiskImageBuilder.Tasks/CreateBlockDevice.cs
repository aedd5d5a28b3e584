using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Creates the raw disk file after post-root.d, as diskimage-builder does: the layout that ReadBlockDeviceConfig
/// chose is planned against what the tree holds below each mount point (or ImageSize), /etc/fstab is written, and a
/// sparse file of the planned size is created, whose partition table PartitionMbr or PartitionGpt writes next. The
/// file exists from pre-finalise.d on (IMAGE_BLOCK_DEVICE); MakeFilesystems fills it from the final tree, with no
/// loop device and no mount.
/// </summary>
public sealed class CreateBlockDevice : DibTask
{
    [Required]
    public string TreeDirectory { get; set; } = "";

    /// <summary>The raw disk file to create.</summary>
    [Required]
    public string DiskPath { get; set; } = "";

    /// <summary>The layout's YAML, as ReadBlockDeviceConfig copied it.</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>What the YAML was read from, for messages.</summary>
    [Required]
    public string ConfigSource { get; set; } = "";

    /// <summary>The whole disk's size (e.g. 4GiB); empty computes it from the tree.</summary>
    public string? ImageSize { get; set; }

    /// <summary>Extra free space for the root filesystem on top of the computed size (e.g. 512MiB).</summary>
    public string? ImageExtraSize { get; set; }

    [Required]
    public string RootLabel { get; set; } = "";

    [Required]
    public string RootFilesystemType { get; set; } = "";

    /// <summary>The ext3/ext4 root filesystem's journal (e.g. 64MiB); empty for 64 MiB.</summary>
    public string? ImageJournalSize { get; set; }

    /// <summary>The root filesystem's UUID; empty picks a random one.</summary>
    public string? RootUuid { get; set; }

    /// <summary>Where the plan is recorded as JSON (for the partition writers, MakeFilesystems and the manifests).</summary>
    [Required]
    public string LayoutRecord { get; set; } = "";

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        var config = BlockDeviceConfigParser.Parse(File.ReadAllText(ConfigFile), ConfigSource);
        var root = ReadBlockDeviceConfig.Settings(RootFilesystemType, RootLabel, RootUuid, ImageJournalSize);
        var runner = new ProcessRunner(log);
        var mountPoints = config.NodesOf<MountNode>().Select(m => m.MountPoint).Where(m => m != MountNode.NoMountPoint).ToList();
        var usage = await MountedContent.MeasureAsync(runner, TreeDirectory, mountPoints, CancellationToken);
        long? imageSize = string.IsNullOrWhiteSpace(ImageSize) ? null : SizeParser.Parse(ImageSize, "ImageSize");
        var extra = string.IsNullOrWhiteSpace(ImageExtraSize) ? 0 : SizeParser.Parse(ImageExtraSize, "ImageExtraSize");
        var plan = DiskPlanner.Plan(config, root, usage, imageSize, extra);

        log.Progress($"Disk: {plan.DiskBytes / FilesystemSizing.MiB} MiB, {(plan.Table == DiskPlan.NoTable ? "no partition table" : plan.Table.ToUpperInvariant())}" +
                     $" ({ConfigSource})");
        foreach (var partition in plan.Partitions)
            log.Detail($"  partition {partition.Number} '{partition.Name}': {partition.SizeBytes / FilesystemSizing.MiB} MiB at sector {partition.StartSector}, type {partition.Type}{(partition.Bootable ? ", boot" : "")}");
        foreach (var fs in plan.Filesystems)
            log.Progress($"  {fs.Type.Name()} '{fs.Label}' {fs.Uuid} on {fs.Device}, {fs.SizeBytes / FilesystemSizing.MiB} MiB" +
                         (fs.MountPoint is null ? "" : $", mounted at {fs.MountPoint} (holds {usage[fs.MountPoint].Bytes / FilesystemSizing.MiB} MiB of the tree)"));

        Fstab.Write(TreeDirectory, plan.Fstab);
        Directory.CreateDirectory(Path.GetDirectoryName(DiskPath)!);
        File.Delete(DiskPath);
        using (var disk = new FileStream(DiskPath, FileMode.CreateNew, FileAccess.Write))
            disk.SetLength(plan.DiskBytes);
        plan.Save(LayoutRecord);
    }
}
