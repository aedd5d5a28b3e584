using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Outputs;

/// <summary>The ImageFormats property: which output files a build writes.</summary>
public static class ImageFormatList
{
    /// <summary>The formats built today.</summary>
    public static readonly IReadOnlyList<string> Supported = ["qcow2", "raw"];

    /// <summary>Splits and validates; DIB1003 names the bad value and lists the valid ones.</summary>
    public static IReadOnlyList<string> Parse(string value)
    {
        var formats = value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.ToLowerInvariant()).Distinct().ToList();
        var unknown = formats.Where(f => !Supported.Contains(f)).ToList();
        if (formats.Count == 0 || unknown.Count > 0)
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"ImageFormats '{value}' names {(unknown.Count > 0 ? "unknown format(s) " + string.Join(", ", unknown) : "no format")}. " +
                $"Valid formats: {string.Join(", ", Supported)}.");
        return formats;
    }
}
