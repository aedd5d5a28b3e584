using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// Swap: mkswap only formats whole files or devices, so it writes a sparse temporary file of the region's size;
/// what it wrote (the header page) goes into the cleared region, the rest of a fresh swap area being zeros.
/// </summary>
internal sealed class SwapFilesystemWriter(ProcessRunner runner) : IFilesystemWriter
{
    public async Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken)
    {
        var mkswap = MkfsTool.Require("mkswap", "util-linux", "to make swap areas");
        using var scratch = ScratchImage.Create(request.DiskPath, "swap", request.SizeBytes);
        var arguments = new List<string>();
        if (request.Label is not null)
            arguments.AddRange(["-L", request.Label]);
        if (request.Uuid is not null)
            arguments.AddRange(["-U", request.Uuid]);
        arguments.AddRange(request.ExtraOptions);
        arguments.Add(scratch.Path);
        var result = await runner.RunAsync(new ProcessSpec(mkswap, arguments, Environment: request.TimeEnvironment, OutputPrefix: "mkswap: "), cancellationToken);
        if (!result.Succeeded)
            throw result.Tail.Any(l => l.Contains("needs to be at least", StringComparison.OrdinalIgnoreCase))
                ? FilesystemErrors.TooSmall(request, null, result.Tail)
                : FilesystemErrors.Failed(request, result, "Making the swap area");
        await RegionCopy.CopyAsync(scratch.Path, request.DiskPath, request.OffsetBytes, request.SizeBytes, cancellationToken);
    }
}
