using System.Globalization;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// ext2, ext3 and ext4 straight into the region: mke2fs -d fills it from the tree (owners, modes, symlinks, hard
/// links, devices and xattrs as they are) and -E offset= places it, so no temporary file is needed. With
/// SOURCE_DATE_EPOCH the inode change and access times are set to it afterwards (<see cref="ExtInodeTimes"/>).
/// </summary>
internal sealed class ExtFilesystemWriter(ProcessRunner runner) : IFilesystemWriter
{
    private const int DefaultRootPermissions = 0x1ED; // 0755, what mke2fs gives the root directory
    private const int DirectoryTypeBits = 0x4000;

    public async Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken)
    {
        var mke2fs = MkfsTool.Require("mke2fs", "e2fsprogs", $"to make {request.Type.Name()} filesystems");
        var root = request.SourceDirectory is null ? null : LinuxFiles.LStat(request.SourceDirectory);
        var offset = request.OffsetBytes.ToString(CultureInfo.InvariantCulture);

        // mke2fs keeps only the last -E, so the user's extended options join ours instead of replacing the offset.
        var extended = new List<string> { $"offset={offset}", $"root_owner={root?.Uid ?? 0}:{root?.Gid ?? 0}" };
        if (request.HashSeed is not null)
            extended.Add($"hash_seed={request.HashSeed}");
        var extra = new List<string>();
        for (var i = 0; i < request.ExtraOptions.Count; i++)
        {
            var option = request.ExtraOptions[i];
            if (option == "-E" && i + 1 < request.ExtraOptions.Count)
                extended.Add(request.ExtraOptions[++i]);
            else if (option.StartsWith("-E", StringComparison.Ordinal) && option.Length > 2)
                extended.Add(option[2..]);
            else
                extra.Add(option);
        }

        var arguments = new List<string> { "-q", "-F", "-t", request.Type.Name() };
        if (request.Label is not null)
            arguments.AddRange(["-L", request.Label]);
        if (request.Uuid is not null)
            arguments.AddRange(["-U", request.Uuid]);
        if (request.Inodes > 0)
            arguments.AddRange(["-N", request.Inodes.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(["-E", string.Join(',', extended)]);
        if (request.SourceDirectory is not null)
            arguments.AddRange(["-d", request.SourceDirectory]);
        arguments.AddRange(extra);
        arguments.AddRange([request.DiskPath, (request.SizeBytes / 1024).ToString(CultureInfo.InvariantCulture) + "k"]);

        var result = await runner.RunAsync(new ProcessSpec(mke2fs, arguments, Environment: request.TimeEnvironment, OutputPrefix: "mke2fs: "), cancellationToken);
        if (!result.Succeeded)
        {
            // The host's disk running full is told apart first: mke2fs says "No space left" for both.
            if (!DiskSpace.IsOutOfSpace(result.Tail) && IsTooSmall(result.Tail))
                throw FilesystemErrors.TooSmall(request, EstimatedBytes(request), result.Tail);
            throw FilesystemErrors.Failed(request, result, $"Making the {request.Type.Name()} filesystem");
        }

        // mke2fs gives the root directory 0755 whatever the source's mode; a /tmp filesystem needs 1777.
        if (root is not null && root.Permissions != DefaultRootPermissions)
        {
            var debugfs = MkfsTool.Require("debugfs", "e2fsprogs", "to set the root directory's mode");
            var mode = Convert.ToString(DirectoryTypeBits | root.Permissions, 8);
            var fixup = await runner.RunAsync(new ProcessSpec(debugfs,
                ["-w", "-R", $"sif / mode 0{mode}", $"{request.DiskPath}?offset={offset}"], Environment: request.TimeEnvironment, OutputPrefix: "debugfs: "),
                cancellationToken);
            if (!fixup.Succeeded)
                throw FilesystemErrors.Failed(request, fixup, "Setting the root directory's mode");
        }

        if (request.SourceDateEpoch is { } epoch && request.SourceDirectory is not null)
            await ExtInodeTimes.ClampAsync(runner, request, $"{request.DiskPath}?offset={offset}", epoch, cancellationToken);
    }

    private static bool IsTooSmall(IReadOnlyList<string> output)
    {
        var text = string.Join(Environment.NewLine, output);
        return text.Contains("Could not allocate", StringComparison.OrdinalIgnoreCase)
               || text.Contains("No space left", StringComparison.OrdinalIgnoreCase)
               || text.Contains("inodes", StringComparison.OrdinalIgnoreCase) && text.Contains("exhausted", StringComparison.OrdinalIgnoreCase)
               || text.Contains("too small", StringComparison.OrdinalIgnoreCase);
    }

    private static long? EstimatedBytes(FilesystemRequest request) =>
        request.SourceDirectory is null ? null : SourceEntry.Read(request.SourceDirectory).EstimatedBytes();
}
