using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>The coded errors every writer raises: too small, content the filesystem cannot hold, a tool failure.</summary>
internal static class FilesystemErrors
{
    private const int MaxListedPaths = 10;

    /// <summary>DIB3002: the region is too small; <paramref name="neededBytes"/> when the tool or the tree tells.</summary>
    public static DibException TooSmall(FilesystemRequest request, long? neededBytes, IEnumerable<string> toolOutput)
    {
        var needed = neededBytes is { } n
            ? $" It needs at least {FilesystemSizing.RoundUpToMiB(n) / FilesystemSizing.MiB} MiB."
            : "";
        var source = request.SourceDirectory is null ? "an empty filesystem" : $"the content of {request.SourceDirectory}";
        return new DibException(ErrorCodes.FilesystemTooSmall,
            $"The {request.Type.Name()} filesystem of {request.SizeBytes / FilesystemSizing.MiB} MiB at byte {request.OffsetBytes} " +
            $"of {request.DiskPath} is too small for {source}.{needed} Give its partition (or ImageSize) more room." +
            Environment.NewLine + Tail(toolOutput));
    }

    /// <summary>DIB3030: files the filesystem cannot hold, listed, with the way out.</summary>
    public static DibException Unsupported(FilesystemRequest request, string problem, IReadOnlyList<string> paths, string wayOut)
    {
        var listed = string.Join(", ", paths.Take(MaxListedPaths));
        var more = paths.Count > MaxListedPaths ? $" and {paths.Count - MaxListedPaths} more" : "";
        return new DibException(ErrorCodes.FilesystemContentUnsupported,
            $"The {request.Type.Name()} filesystem cannot be filled from {request.SourceDirectory}: {problem}: {listed}{more}. {wayOut}");
    }

    /// <summary>DIB3004: the tool failed for another reason; DIB5003 when the host disk is full.</summary>
    public static DibException Failed(FilesystemRequest request, ProcessResult result, string what)
    {
        if (DiskSpace.IsOutOfSpace(result.Tail))
            return DiskSpace.OutOfSpace(request.DiskPath, what, null, result.Tail);
        return new DibException(ErrorCodes.FilesystemFailed,
            $"{what} failed with exit code {result.ExitCode}: {result.CommandLine}{Environment.NewLine}{Tail(result.Tail)}");
    }

    private static string Tail(IEnumerable<string> lines) => string.Join(Environment.NewLine, lines.Select(l => "  | " + l));
}
