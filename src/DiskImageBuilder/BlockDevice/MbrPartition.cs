namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// One primary partition as it goes into an MBR partition entry. Positions are in 512-byte sectors
/// (<see cref="MbrLayout.SectorSize"/>), the unit the MBR itself stores.
/// </summary>
/// <param name="StartSector">LBA of the first sector of the partition.</param>
/// <param name="SectorCount">Number of sectors in the partition; more than zero.</param>
/// <param name="Type">The MBR partition type byte, e.g. 0x83 (Linux), 0x82 (Linux swap), 0xEF (EFI system).</param>
/// <param name="Bootable">Whether the entry is marked active (status 0x80).</param>
public sealed record MbrPartition(long StartSector, long SectorCount, byte Type, bool Bootable);
