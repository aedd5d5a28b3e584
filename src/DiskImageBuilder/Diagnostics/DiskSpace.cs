namespace DiskImageBuilder.Diagnostics;

/// <summary>
/// Turns "No space left on device" from any tool into one coded error that names the filesystem
/// that ran out, its free space, and what was being written.
/// </summary>
public static class DiskSpace
{
    public static bool IsOutOfSpace(IEnumerable<string> output) =>
        output.Any(l => l.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                        || l.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase));

    public static DibException OutOfSpace(string path, string what, long? neededBytes, IEnumerable<string> output)
    {
        var free = FreeBytes(path);
        var needed = neededBytes is { } n ? $" It needs about {n / (1024 * 1024)} MiB." : "";
        return new DibException(ErrorCodes.DiskFull,
            $"{what} ran out of disk space: the filesystem of {path} has {free / (1024 * 1024)} MiB free.{needed} " +
            "Free space there (or move the project), then build again; nothing partial is kept under an output's name." +
            Environment.NewLine + string.Join(Environment.NewLine, output.TakeLast(5).Select(l => "  | " + l)));
    }

    public static long FreeBytes(string path)
    {
        var existing = path;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            existing = parent;
        try
        {
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
