using System.Text;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// xfs: mkfs.xfs -p fills a sparse temporary file of the region's size from a prototype file written from the
/// tree (<see cref="XfsProtofile"/>); xfs_db then sets the sticky bits the prototype cannot carry, and the blocks
/// that hold data are copied into the region. Hard links become copies. What the prototype cannot make at all (xattrs, names
/// with white space, sockets) is refused with DIB3030 before anything is written. File times are the build's.
/// </summary>
internal sealed class XfsFilesystemWriter(ProcessRunner runner) : IFilesystemWriter
{
    // mkfs.xfs of xfsprogs 6.1 refuses anything smaller ("Filesystem must be larger than 300MB").
    private const long MinimumBytes = 300 * FilesystemSizing.MiB;

    public async Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken)
    {
        var mkfs = MkfsTool.Require("mkfs.xfs", "xfsprogs", "to make xfs filesystems");
        var tree = request.SourceDirectory is null ? null : SourceEntry.Read(request.SourceDirectory);
        if (tree is not null)
        {
            var problem = XfsProtofile.Problems(tree, LinuxFiles.ListXattrs).FirstOrDefault();
            if (problem.Paths is not null)
                throw FilesystemErrors.Unsupported(request, problem.Problem, problem.Paths,
                    "Use ext4 or btrfs for this filesystem (both copy these as they are), or change these files in the tree.");
        }
        if (request.SizeBytes < MinimumBytes)
            throw FilesystemErrors.TooSmall(request, MinimumBytes, ["mkfs.xfs makes no filesystem smaller than 300 MiB"]);

        using var scratch = ScratchImage.Create(request.DiskPath, "xfs", request.SizeBytes);
        var arguments = new List<string> { "-q" };
        if (request.Label is not null)
            arguments.AddRange(["-L", request.Label]);
        if (request.Uuid is not null)
            arguments.AddRange(["-m", "uuid=" + request.Uuid]);
        XfsProtofile? proto = null;
        if (tree is not null)
        {
            proto = XfsProtofile.Build(tree, ContentAliases(scratch));
            var protoPath = scratch.Sibling("proto");
            await File.WriteAllTextAsync(protoPath, proto.Text, new UTF8Encoding(false), cancellationToken);
            arguments.AddRange(["-p", protoPath]);
        }
        arguments.AddRange(request.ExtraOptions);
        arguments.Add(scratch.Path);
        var result = await runner.RunAsync(new ProcessSpec(mkfs, arguments, Environment: request.TimeEnvironment, OutputPrefix: "mkfs.xfs: "), cancellationToken);
        if (!result.Succeeded)
        {
            if (result.Tail.Any(l => l.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                                     && l.Contains("reserve space", StringComparison.OrdinalIgnoreCase)
                                     || l.Contains("must be larger than", StringComparison.OrdinalIgnoreCase)))
                throw FilesystemErrors.TooSmall(request, tree?.EstimatedBytes(), result.Tail);
            throw FilesystemErrors.Failed(request, result, "Making the xfs filesystem");
        }

        if (proto is { StickyPaths.Count: > 0 })
            await SetStickyBitsAsync(request, scratch, proto.StickyPaths, cancellationToken);
        await RegionCopy.CopyAsync(scratch.Path, request.DiskPath, request.OffsetBytes, request.SizeBytes, cancellationToken);
    }

    // A content path with white space cannot be one token: such files are read through a symlink with a plain name.
    private static Func<string, string> ContentAliases(ScratchImage scratch)
    {
        var folder = scratch.Sibling("content");
        var count = 0;
        return path =>
        {
            if (XfsProtofile.IsToken(path))
                return path;
            Directory.CreateDirectory(folder);
            var alias = Path.Combine(folder, (count++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.CreateSymbolicLink(alias, path);
            return alias;
        };
    }

    private async Task SetStickyBitsAsync(FilesystemRequest request, ScratchImage scratch,
        IReadOnlyList<(string Path, int Mode)> paths, CancellationToken cancellationToken)
    {
        var xfsDb = MkfsTool.Require("xfs_db", "xfsprogs", "to set sticky bits on xfs");
        var commands = new StringBuilder();
        foreach (var (path, mode) in paths)
            commands.Append("path ").Append(path).Append('\n')
                .Append("write core.mode 0").Append(Convert.ToString(mode, 8)).Append('\n');
        var commandFile = scratch.Sibling("xfs_db");
        await File.WriteAllTextAsync(commandFile, commands.ToString(), new UTF8Encoding(false), cancellationToken);
        var result = await runner.RunAsync(new ProcessSpec(xfsDb, ["-x", "-c", "source " + commandFile, scratch.Path],
            OutputPrefix: "xfs_db: "), cancellationToken);
        if (!result.Succeeded || result.Tail.Any(l => l.Contains("No such file", StringComparison.Ordinal)))
            throw FilesystemErrors.Failed(request, result, "Setting sticky bits with xfs_db");
    }
}
