using System.Globalization;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Build;

/// <summary>The SourceDateEpoch property (SOURCE_DATE_EPOCH): whole seconds since 1970, from 1980 on.</summary>
public static class SourceDateEpochs
{
    /// <summary>1980-01-01T00:00:00Z: the earliest time zip, vfat and ISO 9660 can store, so the earliest an image may claim.</summary>
    public const long Earliest = 315_532_800;

    /// <summary>9999-12-31T23:59:59Z, the last time the formats' four-digit years hold.</summary>
    public const long Latest = 253_402_300_799;

    /// <summary>Null for an empty value; DIB1011 for one that is not a whole number of seconds from 1980 on.</summary>
    public static long? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            throw new DibException(ErrorCodes.BadSourceDateEpoch,
                $"SourceDateEpoch (SOURCE_DATE_EPOCH) '{value}' is not a number of seconds since 1970-01-01 UTC. " +
                "Set it to one, for example $(git log -1 --format=%ct), or leave it empty for timestamps of the build's own time.");
        }
        if (epoch < Earliest || epoch > Latest)
        {
            throw new DibException(ErrorCodes.BadSourceDateEpoch,
                $"SourceDateEpoch (SOURCE_DATE_EPOCH) {value} is {(epoch < Earliest ? "before 1980-01-01" : "after 9999-12-31")}, which vfat, zip and ISO 9660 " +
                $"timestamps cannot hold. Use a time from {Earliest} (1980-01-01 UTC) on, for example the last commit's, $(git log -1 --format=%ct).");
        }
        return epoch;
    }
}
