namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>One partition of a <see cref="DiskPlan"/>, placed on the disk.</summary>
/// <param name="Name">The partition's node name; on GPT also its partition name (PARTLABEL).</param>
/// <param name="Number">The number Linux gives it: 1.. on GPT; 1-4 primary and 5.. logical on MBR.</param>
/// <param name="StartSector">The first 512-byte sector.</param>
/// <param name="SectorCount">The size in 512-byte sectors.</param>
/// <param name="Type">The type as the YAML wrote it (0x83, EF00…), or the default.</param>
/// <param name="MbrType">MBR only: the type byte.</param>
/// <param name="GptType">GPT only: the type GUID.</param>
/// <param name="Bootable">The boot flag: the active flag on MBR, the legacy-BIOS-bootable attribute on GPT.</param>
/// <param name="Primary">MBR only: a primary partition; the others are logical.</param>
/// <param name="BootRecordSector">MBR logical partitions: where the extended boot record that describes it is.</param>
/// <param name="UniqueGuid">GPT only: the partition's GUID (PARTUUID).</param>
public sealed record PartitionPlan(
    string Name,
    int Number,
    long StartSector,
    long SectorCount,
    string Type,
    byte MbrType,
    Guid GptType,
    bool Bootable,
    bool Primary,
    long? BootRecordSector,
    Guid UniqueGuid)
{
    /// <summary>The GPT type of a BIOS boot partition, where GRUB's core image goes.</summary>
    public static readonly Guid BiosBootType = GptPartitionType.BiosBoot;

    /// <summary>Whether GRUB's BIOS core image goes into this partition.</summary>
    public bool IsBiosBoot => GptType == BiosBootType;

    /// <summary>Where the partition starts, in bytes.</summary>
    public long OffsetBytes => StartSector * 512;

    /// <summary>The partition's size in bytes.</summary>
    public long SizeBytes => SectorCount * 512;
}
