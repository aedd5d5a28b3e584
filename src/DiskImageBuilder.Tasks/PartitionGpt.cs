using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes the GUID partition table of a GPT layout into the disk file with the project's own writer (no sgdisk): the
/// protective MBR, the primary and backup headers and entry arrays with their CRC32s, type GUIDs, names and the
/// legacy-BIOS-bootable attribute. Boot code already in bytes 0..439 is kept.
/// </summary>
public sealed class PartitionGpt : DibTask
{
    [Required]
    public string DiskPath { get; set; } = "";

    /// <summary>The plan CreateBlockDevice recorded.</summary>
    [Required]
    public string LayoutRecord { get; set; } = "";

    /// <summary>The disk GUID; empty picks a random one.</summary>
    public string? DiskGuid { get; set; }

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var plan = DiskPlan.Load(LayoutRecord);
        if (plan.Table != DiskPlan.Gpt)
            return Task.CompletedTask;
        Guid guid;
        if (string.IsNullOrWhiteSpace(DiskGuid))
            guid = GptWriter.NewGuid();
        else if (!Guid.TryParse(DiskGuid, out guid))
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"DiskGuid '{DiskGuid}' is not a GUID. Write it as 8-4-4-4-12 hex digits, or leave it empty for a random one.");
        GptWriter.Write(DiskPath, guid, [.. plan.Partitions.Select(p => new GptPartition(p.StartSector, p.SectorCount, p.GptType, p.UniqueGuid,
            p.Name, p.Bootable ? GptPartitionAttributes.LegacyBiosBootable : 0))]);
        log.Detail($"GPT written: disk {guid}, {plan.Partitions.Count} partition(s)");
        return Task.CompletedTask;
    }
}
