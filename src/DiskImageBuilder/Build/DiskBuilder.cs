using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Filesystems;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Build;

/// <summary>
/// The raw disk of a planned build, step by step, as diskimage-builder makes it but with no loop device and no mount:
/// <see cref="CreateAsync"/> after post-root.d (the layout sized against the tree, fstab written, a sparse file of the
/// planned size), the partition table (<see cref="WriteMbr"/>, <see cref="WriteGpt"/>), then after cleanup.d the
/// filesystems from the final tree (<see cref="MakeFilesystemsAsync"/>) and GRUB for the firmware (<see cref="PlaceBootloader"/>).
/// The disk plan is recorded in the work folder between the steps and for the manifests.
/// </summary>
public sealed class DiskBuilder(ImageBuildPlan plan, IBuildLog log)
{
    private readonly ProcessRunner _runner = new(log);

    private WorkFolder Work => plan.Work;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        var config = plan.Layout;
        var mountPoints = config.NodesOf<MountNode>().Select(m => m.MountPoint).Where(m => m != MountNode.NoMountPoint).ToList();
        var usage = await MountedContent.MeasureAsync(_runner, Work.Tree, mountPoints, cancellationToken);
        var disk = DiskPlanner.Plan(config, plan.Root, usage, plan.ImageSizeBytes, plan.ImageExtraBytes, plan.DiskSizeMultipleBytes, plan.Identifiers);

        log.Progress($"Disk: {disk.DiskBytes / FilesystemSizing.MiB} MiB, {(disk.Table == DiskPlan.NoTable ? "no partition table" : disk.Table.ToUpperInvariant())}" +
                     $" ({plan.LayoutSource.SourceName})");
        foreach (var partition in disk.Partitions)
            log.Detail($"  partition {partition.Number} '{partition.Name}': {partition.SizeBytes / FilesystemSizing.MiB} MiB at sector {partition.StartSector}, type {partition.Type}{(partition.Bootable ? ", boot" : "")}");
        foreach (var fs in disk.Filesystems)
            log.Progress($"  {fs.Type.Name()} '{fs.Label}' {fs.Uuid} on {fs.Device}, {fs.SizeBytes / FilesystemSizing.MiB} MiB" +
                         (fs.MountPoint is null ? "" : $", mounted at {fs.MountPoint} (holds {usage[fs.MountPoint].Bytes / FilesystemSizing.MiB} MiB of the tree)"));

        Fstab.Write(Work.Tree, disk.Fstab);
        File.Delete(Work.RawDisk);
        using (var file = new FileStream(Work.RawDisk, FileMode.CreateNew, FileAccess.Write))
            file.SetLength(disk.DiskBytes);
        disk.Save(Work.LayoutRecord);
    }

    /// <summary>The MBR of an MBR layout (nothing for another one): primary partitions, the EBR chain of logical ones.</summary>
    public void WriteMbr()
    {
        var disk = DiskPlan.Load(Work.LayoutRecord);
        if (disk.Table != DiskPlan.Mbr)
            return;
        var signature = plan.DiskSignature ?? plan.Identifiers?.DiskSignature() ?? MbrWriter.NewDiskSignature();
        var table = new MbrTablePlan(disk.AlignBytes,
            [.. disk.Partitions.Select(p => new PlacedMbrPartition(p.Name, p.Number, p.StartSector, p.SectorCount, p.MbrType, p.Bootable, p.BootRecordSector))],
            disk.ExtendedStartSector, disk.ExtendedSectorCount);
        MbrWriter.Write(Work.RawDisk, signature, table);
        log.Detail($"MBR written: signature 0x{signature.ToString("x8", CultureInfo.InvariantCulture)}, {disk.Partitions.Count} partition(s)");
    }

    /// <summary>The GUID partition table of a GPT layout (nothing for another one).</summary>
    public void WriteGpt()
    {
        var disk = DiskPlan.Load(Work.LayoutRecord);
        if (disk.Table != DiskPlan.Gpt)
            return;
        var guid = plan.DiskGuid ?? plan.Identifiers?.Guid("gpt disk") ?? GptWriter.NewGuid();
        GptWriter.Write(Work.RawDisk, guid, [.. disk.Partitions.Select(p => new GptPartition(p.StartSector, p.SectorCount, p.GptType, p.UniqueGuid,
            p.Name, p.Bootable ? GptPartitionAttributes.LegacyBiosBootable : 0))]);
        log.Detail($"GPT written: disk {guid}, {disk.Partitions.Count} partition(s)");
    }

    /// <summary>
    /// Fills every filesystem from the tree below its mount point (less the mount points nested below it), straight
    /// into its byte range of the disk file. On failure the disk file is deleted, so no half-filled disk is converted.
    /// </summary>
    public async Task MakeFilesystemsAsync(CancellationToken cancellationToken)
    {
        var disk = DiskPlan.Load(Work.LayoutRecord);
        var writers = new FilesystemWriters(_runner);
        var mountPoints = disk.Filesystems.Select(f => f.MountPoint).OfType<string>().ToList();
        try
        {
            if (plan.SourceDateEpoch is { } epoch)
            {
                await ReproducibleTree.PrepareAsync(_runner, Work.Tree, epoch, cancellationToken);
                log.Progress(ReproducibleTree.Summary(epoch));
            }
            await using var sources = await FilesystemSources.PrepareAsync(_runner, Work.Tree, mountPoints, Work.FilesystemScratch, cancellationToken);
            foreach (var fs in disk.Filesystems)
            {
                var source = fs.MountPoint is null ? null : sources.For(fs.MountPoint);
                await writers.For(fs.Type).WriteAsync(new FilesystemRequest(Work.RawDisk, fs.OffsetBytes, fs.SizeBytes, fs.Type, source,
                    fs.Label, fs.Uuid, fs.Options, fs.Inodes, plan.SourceDateEpoch, plan.Identifiers?.Guid($"hash seed {fs.Node}").ToString()),
                    cancellationToken);
                log.Progress($"Filesystem: {fs.Type.Name()} '{fs.Label}' ({fs.Uuid}) on {fs.Device}" +
                             (fs.MountPoint is null ? "" : $", filled from the tree at {fs.MountPoint}"));
            }
        }
        catch
        {
            File.Delete(Work.RawDisk);
            throw;
        }
    }

    /// <summary>
    /// GRUB for the architecture's firmware: on BIOS machines boot.img's code in sector 0 and the core image in the MBR
    /// gap or the BIOS boot partition; on Open Firmware machines the core image in the PReP partition. UEFI needs
    /// nothing here (its loader is a file on the EFI system partition).
    /// </summary>
    public void PlaceBootloader()
    {
        var arch = ArchitectureProfile.For(plan.Settings.TargetArch);
        var disk = DiskPlan.Load(Work.LayoutRecord);
        if (arch.Firmware.HasFlag(BootFirmware.OpenFirmware))
        {
            var prep = GrubPrepPlacement.Place(Work.RawDisk, Work.Tree, disk);
            log.Detail(prep is null ? "Open Firmware GRUB not placed: the layout has no PReP partition" : $"Open Firmware GRUB placed in {prep}");
        }
        if (!arch.Firmware.HasFlag(BootFirmware.Bios))
        {
            log.Detail($"No BIOS boot code on {arch.Name}: its machines boot with {arch.Firmware.Words()}");
            return;
        }
        var where = GrubBiosPlacement.Place(Work.RawDisk, Work.Tree, disk);
        log.Detail(where is null
            ? "BIOS GRUB not placed: the layout has no MBR and no BIOS boot partition (EF02)"
            : $"BIOS GRUB placed in sector 0 and {where}");
    }
}
