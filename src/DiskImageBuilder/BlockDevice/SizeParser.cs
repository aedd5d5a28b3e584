using System.Globalization;
using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>Parses sizes as users write them: 4GiB, 512MiB, 2G, 1.5GB, 4096 (bytes).</summary>
public static partial class SizeParser
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = 1, ["B"] = 1,
        ["K"] = 1L << 10, ["KiB"] = 1L << 10, ["KB"] = 1000,
        ["M"] = 1L << 20, ["MiB"] = 1L << 20, ["MB"] = 1000_000,
        ["G"] = 1L << 30, ["GiB"] = 1L << 30, ["GB"] = 1000_000_000,
        ["T"] = 1L << 40, ["TiB"] = 1L << 40, ["TB"] = 1000_000_000_000,
    };

    public static long Parse(string value, string propertyName)
    {
        var match = SizePattern().Match(value.Trim());
        if (match.Success && Units.TryGetValue(match.Groups[2].Value, out var unit))
        {
            var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return (long)Math.Ceiling(number * unit);
        }
        throw new DibException(ErrorCodes.BadImageSize,
            $"{propertyName} '{value}' is not a size. Write a number with an optional unit, for example 4GiB, 512MiB or 2G.");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$")]
    private static partial Regex SizePattern();
}
