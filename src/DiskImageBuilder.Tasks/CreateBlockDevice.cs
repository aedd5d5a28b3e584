using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Creates the raw disk file after post-root.d, as diskimage-builder does: the size computed from the
/// tree (or ImageSize), the layout planned, /etc/fstab written, and a sparse file of that size whose
/// partition table <see cref="PartitionMbr"/> writes next. The file exists from pre-finalise.d on
/// (IMAGE_BLOCK_DEVICE); <see cref="MakeFilesystems"/> fills its filesystems from the final tree,
/// with no loop device and no mount.
/// </summary>
public sealed class CreateBlockDevice : DibTask
{
    [Required]
    public string TreeDirectory { get; set; } = "";

    /// <summary>The raw disk file to create.</summary>
    [Required]
    public string DiskPath { get; set; } = "";

    /// <summary>The element that provides block-device; block-device-mbr is the layout built today.</summary>
    [Required]
    public string BlockDeviceElement { get; set; } = "";

    /// <summary>The whole disk's size (e.g. 4GiB); empty computes it from the tree.</summary>
    public string? ImageSize { get; set; }

    /// <summary>Extra free space on top of the computed size (e.g. 512MiB).</summary>
    public string? ImageExtraSize { get; set; }

    [Required]
    public string RootLabel { get; set; } = "";

    /// <summary>The root filesystem's UUID; empty picks a random one.</summary>
    public string? RootUuid { get; set; }

    /// <summary>Where the layout is recorded as JSON (for MakeFilesystems and the manifests).</summary>
    [Required]
    public string LayoutRecord { get; set; } = "";

    /// <summary>The partitions: Identity = name; metadata StartSector, SectorCount, Type (hex), Bootable.</summary>
    [Output]
    public ITaskItem[] Partitions { get; set; } = [];

    protected override async Task ExecuteCoreAsync(IBuildLog log)
    {
        if (BlockDeviceElement != "block-device-mbr")
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"The block-device layout '{BlockDeviceElement}' is not built by this version; use block-device-mbr " +
                "(the default of the vm element).");
        if (RootLabel.Length > 16)
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"RootLabel '{RootLabel}' has {RootLabel.Length} characters; ext4 labels hold at most 16.");
        var runner = new ProcessRunner(log);
        var uuid = string.IsNullOrWhiteSpace(RootUuid) ? Guid.NewGuid() : ParseUuid(RootUuid);

        Fstab.WriteRoot(TreeDirectory, RootLabel, "ext4");
        var usage = await TreeUsage.MeasureAsync(runner, TreeDirectory, CancellationToken);
        long? imageSize = string.IsNullOrWhiteSpace(ImageSize) ? null : SizeParser.Parse(ImageSize, "ImageSize");
        var extra = string.IsNullOrWhiteSpace(ImageExtraSize) ? 0 : SizeParser.Parse(ImageExtraSize, "ImageExtraSize");
        var plan = RootFilesystemPlan.Create(usage, imageSize, extra);
        log.Progress($"Disk: {plan.DiskBytes / FilesystemSizing.MiB} MiB for a tree of {usage.Bytes / FilesystemSizing.MiB} MiB " +
                     $"({usage.Inodes} inodes); root ext4 '{RootLabel}' {uuid}");

        Directory.CreateDirectory(Path.GetDirectoryName(DiskPath)!);
        File.Delete(DiskPath);
        using (var disk = new FileStream(DiskPath, FileMode.CreateNew, FileAccess.Write))
            disk.SetLength(plan.DiskBytes);
        new DiskLayoutRecord(BlockDeviceElement, plan.DiskBytes,
        [
            new PartitionRecord("root", plan.Root.StartSector, plan.Root.SectorCount,
                plan.Root.Type.ToString("x2", CultureInfo.InvariantCulture), plan.Root.Bootable, "ext4", RootLabel, uuid, "/", plan.Inodes),
        ]).Save(LayoutRecord);

        var item = new TaskItem("root");
        item.SetMetadata("StartSector", plan.Root.StartSector.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata("SectorCount", plan.Root.SectorCount.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata("Type", plan.Root.Type.ToString("x2", CultureInfo.InvariantCulture));
        item.SetMetadata("Bootable", plan.Root.Bootable ? "true" : "false");
        Partitions = [item];
    }

    private static Guid ParseUuid(string value) => Guid.TryParse(value, out var uuid)
        ? uuid
        : throw new DibException(ErrorCodes.UnsupportedLayout,
            $"RootFilesystemUuid '{value}' is not a UUID. Write it as 8-4-4-4-12 hex digits, or leave it empty for a random one.");
}
