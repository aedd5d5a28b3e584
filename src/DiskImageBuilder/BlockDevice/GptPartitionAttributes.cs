namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Bits of the 64-bit Attributes field of a GPT partition entry (UEFI specification 2.10, table 5-8).
/// Bits 3..47 are reserved; bits 48..63 belong to the partition type (e.g. systemd's read-only and grow-fs flags
/// for discoverable partitions), so any <see cref="ulong"/> may be passed and these names cover only the common bits.
/// </summary>
public static class GptPartitionAttributes
{
    /// <summary>Bit 0, Required Partition: the platform needs the partition to function and tools should not delete it.</summary>
    public const ulong RequiredPartition = 1UL << 0;

    /// <summary>Bit 1, No Block IO Protocol: UEFI firmware should not expose the partition's contents.</summary>
    public const ulong NoBlockIoProtocol = 1UL << 1;

    /// <summary>
    /// Bit 2, Legacy BIOS Bootable: the GPT counterpart of the MBR's active flag, read by legacy boot code such as
    /// syslinux's gptmbr.bin and by some BIOSes that refuse a disk without it.
    /// </summary>
    public const ulong LegacyBiosBootable = 1UL << 2;
}
