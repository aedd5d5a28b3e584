using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>One filesystem to create inside a byte range of a raw disk file, filled from a directory.</summary>
/// <param name="DiskPath">The raw disk file; it exists and already has its full size.</param>
/// <param name="OffsetBytes">Where the filesystem starts in the file (a multiple of 512).</param>
/// <param name="SizeBytes">How many bytes the filesystem may use (a multiple of 1 MiB).</param>
/// <param name="Type">The filesystem to make.</param>
/// <param name="SourceDirectory">The directory whose content becomes the filesystem's root; null makes it empty
/// (always null for swap).</param>
/// <param name="Label">The label, already checked for length; null sets none.</param>
/// <param name="Uuid">Null for a random one; for vfat a volume id ("XXXX-XXXX" or 8 hex digits), else a UUID.</param>
/// <param name="ExtraOptions">The YAML's <c>opts:</c>, split at white space, passed to the mkfs program.</param>
/// <param name="Inodes">ext only: the number of inodes to create; 0 keeps the mke2fs default.</param>
/// <param name="SourceDateEpoch">When set, the time the mkfs programs write (creation, mount and inode change times)
/// instead of the clock: E2FSPROGS_FAKE_TIME for mke2fs, SOURCE_DATE_EPOCH for the others.</param>
/// <param name="HashSeed">ext only: the directory hash seed (mke2fs -E hash_seed=), else a random one.</param>
public sealed record FilesystemRequest(
    string DiskPath,
    long OffsetBytes,
    long SizeBytes,
    FilesystemType Type,
    string? SourceDirectory,
    string? Label,
    string? Uuid,
    IReadOnlyList<string> ExtraOptions,
    long Inodes,
    long? SourceDateEpoch = null,
    string? HashSeed = null)
{
    /// <summary>The variables that make the mkfs programs write SourceDateEpoch instead of the clock.</summary>
    public IReadOnlyDictionary<string, string?>? TimeEnvironment => SourceDateEpoch is { } epoch
        ? new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["E2FSPROGS_FAKE_TIME"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }
        : null;
}
