namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// One partition as it goes into a GPT partition entry. Positions are in 512-byte logical blocks
/// (<see cref="GptLayout.SectorSize"/>), the unit the entry itself stores.
/// </summary>
/// <param name="StartLba">LBA of the first sector of the partition (StartingLBA).</param>
/// <param name="SectorCount">Number of sectors in the partition; more than zero. The entry stores the last LBA, <see cref="LastLba"/>.</param>
/// <param name="TypeGuid">The partition type, e.g. <see cref="GptPartitionType.LinuxFilesystem"/>; never all zeros.</param>
/// <param name="UniqueGuid">The partition's own GUID, which Linux shows as its PARTUUID; never all zeros.</param>
/// <param name="Name">The partition name (PARTLABEL), at most <see cref="GptLayout.MaxNameLength"/> UTF-16 code units.</param>
/// <param name="Attributes">The attribute bits, e.g. <see cref="GptPartitionAttributes.LegacyBiosBootable"/>.</param>
public sealed record GptPartition(long StartLba, long SectorCount, Guid TypeGuid, Guid UniqueGuid, string Name, ulong Attributes)
{
    /// <summary>LBA of the last sector of the partition (EndingLBA, inclusive).</summary>
    public long LastLba => StartLba + SectorCount - 1;
}
