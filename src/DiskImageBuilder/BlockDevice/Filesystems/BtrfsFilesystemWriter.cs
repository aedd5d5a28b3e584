using System.Globalization;
using System.Text.RegularExpressions;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// btrfs: mkfs.btrfs --rootdir fills a sparse temporary file of the region's size from the tree (owners, modes,
/// symlinks, hard links and xattrs as they are), and the blocks that hold data are copied into the region.
/// </summary>
internal sealed partial class BtrfsFilesystemWriter(ProcessRunner runner) : IFilesystemWriter
{
    public async Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken)
    {
        var mkfs = MkfsTool.Require("mkfs.btrfs", "btrfs-progs", "to make btrfs filesystems");
        using var scratch = ScratchImage.Create(request.DiskPath, "btrfs", request.SizeBytes);
        var arguments = new List<string> { "-q" };
        if (request.Label is not null)
            arguments.AddRange(["-L", request.Label]);
        if (request.Uuid is not null)
            arguments.AddRange(["-U", request.Uuid]);
        if (request.SourceDirectory is not null)
            arguments.AddRange(["--rootdir", request.SourceDirectory]);
        arguments.AddRange(request.ExtraOptions);
        arguments.Add(scratch.Path);
        var result = await runner.RunAsync(new ProcessSpec(mkfs, arguments, Environment: request.TimeEnvironment, OutputPrefix: "mkfs.btrfs: "), cancellationToken);
        if (!result.Succeeded)
        {
            var minimum = result.Tail.Select(l => MinimumSize().Match(l)).FirstOrDefault(m => m.Success);
            if (minimum is not null)
                throw FilesystemErrors.TooSmall(request, long.Parse(minimum.Groups[1].Value, CultureInfo.InvariantCulture), result.Tail);
            throw FilesystemErrors.Failed(request, result, "Making the btrfs filesystem");
        }

        // With --rootdir, mkfs.btrfs grows a file that is too small for the tree instead of failing.
        var length = new FileInfo(scratch.Path).Length;
        if (length > request.SizeBytes)
            throw FilesystemErrors.TooSmall(request, length, result.Tail);
        await RegionCopy.CopyAsync(scratch.Path, request.DiskPath, request.OffsetBytes, request.SizeBytes, cancellationToken);
    }

    [GeneratedRegex(@"minimum size for (?:each )?btrfs device is (\d+)")]
    private static partial Regex MinimumSize();
}
