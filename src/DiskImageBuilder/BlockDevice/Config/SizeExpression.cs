using System.Globalization;
using System.Text.RegularExpressions;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// A size as the block-device YAML writes it: absolute with diskimage-builder's units (<c>10GiB</c>, <c>1.75TB</c>,
/// <c>512</c> bytes) or a percentage (<c>100%</c>). A percentage means nothing alone; <see cref="Resolve"/> turns it
/// into bytes once the space it is a share of is known.
/// </summary>
public readonly partial record struct SizeExpression
{
    // diskimage-builder's table: the IEC names are binary, everything else, bare letters included, is decimal.
    // Matched without regard to case: no two units differ only in case.
    private static readonly Dictionary<string, long> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = 1, ["B"] = 1,
        ["K"] = 1000, ["KB"] = 1000, ["KiB"] = 1L << 10,
        ["M"] = 1000_000, ["MB"] = 1000_000, ["MiB"] = 1L << 20,
        ["G"] = 1000_000_000, ["GB"] = 1000_000_000, ["GiB"] = 1L << 30,
        ["T"] = 1000_000_000_000, ["TB"] = 1000_000_000_000, ["TiB"] = 1L << 40,
    };

    private static readonly (string Unit, long Factor)[] DisplayUnits =
        [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];

    private SizeExpression(long bytes, decimal? percent)
    {
        Bytes = bytes;
        Percent = percent;
    }

    /// <summary>The size in bytes; 0 for a percentage.</summary>
    public long Bytes { get; }

    /// <summary>The share in percent, more than 0 and at most 100; null for an absolute size.</summary>
    public decimal? Percent { get; }

    /// <summary>Whether the size is a share of the space left rather than a number of bytes.</summary>
    public bool IsPercentage => Percent is not null;

    /// <summary>An absolute size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is not positive.</exception>
    public static SizeExpression FromBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return new SizeExpression(bytes, null);
    }

    /// <summary>A share of the space left.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not in (0, 100].</exception>
    public static SizeExpression FromPercent(decimal percent)
    {
        if (percent is <= 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage is more than 0 and at most 100.");
        return new SizeExpression(0, percent);
    }

    /// <summary>
    /// Reads <paramref name="text"/>: a number with an optional fraction, then a unit (none = bytes) or <c>%</c>.
    /// Fractional bytes are dropped, as diskimage-builder truncates them. Zero, more than 100 % and sizes beyond
    /// what a signed 64-bit number of bytes holds are rejected.
    /// </summary>
    public static bool TryParse(string? text, out SizeExpression size)
    {
        size = default;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || number <= 0)
        {
            return false;
        }

        var unit = match.Groups["unit"].Value;
        if (unit == "%")
        {
            if (number > 100)
                return false;
            size = new SizeExpression(0, number);
            return true;
        }

        if (!Units.TryGetValue(unit, out var factor))
            return false;
        var bytes = number * factor;
        if (bytes >= long.MaxValue || decimal.Truncate(bytes) == 0)
            return false;
        size = new SizeExpression((long)decimal.Truncate(bytes), null);
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> for text it rejects.</summary>
    public static SizeExpression Parse(string text) =>
        TryParse(text, out var size) ? size : throw new FormatException($"'{text}' is not a size: write e.g. 10GiB, 1.75TB, 512 (bytes) or 50%.");

    /// <summary>
    /// The size in bytes: an absolute size as it is, a percentage as that share of <paramref name="availableBytes"/>,
    /// rounded down to a whole byte.
    /// </summary>
    public long Resolve(long availableBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableBytes);
        return Percent is { } percent ? (long)decimal.Floor(availableBytes * percent / 100m) : Bytes;
    }

    /// <summary><c>50%</c>, or the bytes in the largest binary unit that holds them exactly (<c>8MiB</c>, <c>1000B</c>).</summary>
    public override string ToString() => Percent is { } percent
        ? percent.ToString(CultureInfo.InvariantCulture) + "%"
        : FormatBytes(Bytes);

    /// <summary>Bytes in the largest binary unit that holds them exactly.</summary>
    public static string FormatBytes(long bytes)
    {
        foreach (var (unit, factor) in DisplayUnits)
        {
            if (bytes != 0 && bytes % factor == 0)
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    [GeneratedRegex(@"^\s*(?<number>\d+(?:\.\d+)?|\.\d+)\s*(?<unit>%|[A-Za-z]*)\s*$")]
    private static partial Regex Pattern();
}
