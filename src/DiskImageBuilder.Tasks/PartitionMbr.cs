using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes an MBR partition table into sector 0 of the disk file with the project's own writer
/// (no parted, sfdisk or fdisk): 1 MiB aligned entries, boot flag, type byte, 255/63 CHS, disk signature.
/// Boot code already in bytes 0..439 is kept.
/// </summary>
public sealed class PartitionMbr : DibTask
{
    [Required]
    public string DiskPath { get; set; } = "";

    /// <summary>Identity = name; metadata StartSector, SectorCount, Type (hex byte), Bootable.</summary>
    [Required]
    public ITaskItem[] Partitions { get; set; } = [];

    /// <summary>The disk signature as 8 hex digits; empty picks a random one.</summary>
    public string? DiskSignature { get; set; }

    [Output]
    public string WrittenDiskSignature { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var signature = string.IsNullOrWhiteSpace(DiskSignature)
            ? MbrWriter.NewDiskSignature()
            : uint.Parse(DiskSignature.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var partitions = Partitions.Select(p => new MbrPartition(
            long.Parse(p.GetMetadata("StartSector"), CultureInfo.InvariantCulture),
            long.Parse(p.GetMetadata("SectorCount"), CultureInfo.InvariantCulture),
            byte.Parse(p.GetMetadata("Type"), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            string.Equals(p.GetMetadata("Bootable"), "true", StringComparison.OrdinalIgnoreCase))).ToList();
        MbrWriter.Write(DiskPath, signature, partitions);
        WrittenDiskSignature = signature.ToString("x8", CultureInfo.InvariantCulture);
        log.Detail($"MBR written: signature 0x{WrittenDiskSignature}, {partitions.Count} partition(s)");
        return Task.CompletedTask;
    }
}
