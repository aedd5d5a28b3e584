using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes the MBR partition table of an MBR layout into the disk file with the project's own writer (no parted,
/// sfdisk or fdisk): primary partitions, and an extended partition with one boot record per logical partition;
/// boot flag, type byte, 255/63 CHS, disk signature. Boot code already in bytes 0..439 is kept.
/// </summary>
public sealed class PartitionMbr : DibTask
{
    [Required]
    public string DiskPath { get; set; } = "";

    /// <summary>The plan CreateBlockDevice recorded.</summary>
    [Required]
    public string LayoutRecord { get; set; } = "";

    /// <summary>The disk signature as 8 hex digits; empty picks a random one.</summary>
    public string? DiskSignature { get; set; }

    [Output]
    public string WrittenDiskSignature { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var plan = DiskPlan.Load(LayoutRecord);
        if (plan.Table != DiskPlan.Mbr)
            return Task.CompletedTask;
        var signature = string.IsNullOrWhiteSpace(DiskSignature)
            ? MbrWriter.NewDiskSignature()
            : ParseSignature(DiskSignature);
        var table = new MbrTablePlan(plan.AlignBytes,
            [.. plan.Partitions.Select(p => new PlacedMbrPartition(p.Name, p.Number, p.StartSector, p.SectorCount, p.MbrType, p.Bootable, p.BootRecordSector))],
            plan.ExtendedStartSector, plan.ExtendedSectorCount);
        MbrWriter.Write(DiskPath, signature, table);
        WrittenDiskSignature = signature.ToString("x8", CultureInfo.InvariantCulture);
        log.Detail($"MBR written: signature 0x{WrittenDiskSignature}, {plan.Partitions.Count} partition(s)");
        return Task.CompletedTask;
    }

    private static uint ParseSignature(string value) =>
        uint.TryParse(value.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var signature)
            ? signature
            : throw new DibException(ErrorCodes.UnsupportedLayout,
                $"DiskSignature '{value}' is not 8 hex digits (for example 0x1234abcd). Fix it, or leave it empty for a random one.");
}
