using System.Globalization;
using System.Text.RegularExpressions;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// vfat (EFI system partitions): mkfs.fat --offset formats the region, then mcopy copies the tree in through
/// mtools' own FAT code, so nothing is mounted. FAT has no owners, modes or links: a symlink, device, fifo or
/// socket in the tree is an error rather than a silent copy of its target or a silent gap, because a missing or
/// different file on an ESP shows up only when the machine fails to boot.
/// </summary>
internal sealed partial class VfatFilesystemWriter(ProcessRunner runner) : IFilesystemWriter
{
    private const int SectorSize = 512;

    // UEFI expects FAT32 on an ESP; below this size mkfs.fat's own choice (FAT12/16) fits the cluster counts better.
    private const long Fat32MinimumBytes = 256 * FilesystemSizing.MiB;

    public async Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken)
    {
        var mkfs = MkfsTool.Require("mkfs.fat", "dosfstools", "to make vfat filesystems");
        var volumeId = request.Uuid is null ? null : VolumeId(request.Uuid);
        var tree = request.SourceDirectory is null ? null : SourceEntry.Read(request.SourceDirectory);
        var mcopy = tree is null ? null : MkfsTool.Require("mcopy", "mtools", "to copy files into vfat filesystems");
        if (tree is not null)
            CheckTree(request, tree);

        await RegionCopy.ClearAsync(request.DiskPath, request.OffsetBytes, request.SizeBytes, cancellationToken);
        var arguments = new List<string>();
        if (request.SizeBytes >= Fat32MinimumBytes)
            arguments.AddRange(["-F", "32"]);
        if (request.Label is not null)
            arguments.AddRange(["-n", request.Label]);
        if (volumeId is not null)
            arguments.AddRange(["-i", volumeId]);
        arguments.Add("--offset=" + (request.OffsetBytes / SectorSize).ToString(CultureInfo.InvariantCulture));
        arguments.AddRange(request.ExtraOptions);
        arguments.AddRange([request.DiskPath, (request.SizeBytes / 1024).ToString(CultureInfo.InvariantCulture)]);
        var result = await runner.RunAsync(new ProcessSpec(mkfs, arguments, Environment: request.TimeEnvironment, OutputPrefix: "mkfs.fat: "), cancellationToken);
        if (!result.Succeeded)
            throw IsTooSmall(result.Tail)
                ? FilesystemErrors.TooSmall(request, null, result.Tail)
                : FilesystemErrors.Failed(request, result, "Making the vfat filesystem");

        if (tree is null || tree.Children.Count == 0)
            return;
        using var config = ScratchImage.Create(request.DiskPath, "mtoolsrc", 0);
        await File.WriteAllTextAsync(config.Path, "mtools_skip_check=1\n", cancellationToken);
        var copy = new List<string> { "-s", "-p", "-m", "-Q", "-i", $"{request.DiskPath}@@{request.OffsetBytes}" };
        copy.AddRange(tree.Children.Select(c => c.FullPath));
        copy.Add("::/");
        var environment = new Dictionary<string, string?>
        {
            // A private configuration: the user's ~/.mtoolsrc or /etc/mtools.conf must not change what is written.
            ["MTOOLSRC"] = config.Path,
            ["MTOOLS_SKIP_CHECK"] = "1",
        };
        var copied = await runner.RunAsync(new ProcessSpec(mcopy!, copy, Environment: environment, OutputPrefix: "mcopy: "),
            cancellationToken);
        if (!copied.Succeeded)
            throw copied.Tail.Any(l => l.Contains("Disk full", StringComparison.OrdinalIgnoreCase))
                ? FilesystemErrors.TooSmall(request, tree.EstimatedBytes(), copied.Tail)
                : FilesystemErrors.Failed(request, copied, "Copying the tree into the vfat filesystem");
    }

    /// <summary>The 8 hex digits mkfs.fat -i takes, from "XXXX-XXXX" or 8 hex digits.</summary>
    internal static string VolumeId(string uuid)
    {
        if (!VolumeIdPattern().IsMatch(uuid))
            throw new DibException(ErrorCodes.FilesystemBadUuid,
                $"'{uuid}' is not a vfat volume id. Give it as XXXX-XXXX or as 8 hex digits (e.g. 1234-ABCD).");
        return uuid.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    private static void CheckTree(FilesystemRequest request, SourceEntry tree)
    {
        var entries = tree.DescendantsAndSelf().ToList();
        var special = entries.Where(e => e.Status.Kind is not (SourceEntryKind.File or SourceEntryKind.Directory))
            .Select(e => e.RelativePath).ToList();
        if (special.Count > 0)
            throw FilesystemErrors.Unsupported(request, "FAT holds only files and directories, and these are symlinks, " +
                "devices, fifos or sockets", special,
                "Replace each symlink by the file it points to in the tree, or use ext4 for this filesystem.");

        // FAT compares names without case; mcopy would ask which one to keep.
        var clashes = entries.Where(e => e.Status.Kind == SourceEntryKind.Directory)
            .SelectMany(d => d.Children.GroupBy(c => c.Name.ToUpperInvariant()).Where(g => g.Count() > 1))
            .Select(g => string.Join(" and ", g.Select(c => c.RelativePath))).ToList();
        if (clashes.Count > 0)
            throw FilesystemErrors.Unsupported(request, "FAT does not tell names apart by case, and these names differ only by case",
                clashes, "Rename one of each pair in the tree, or use ext4 for this filesystem.");
    }

    private static bool IsTooSmall(IReadOnlyList<string> output) => output.Any(l =>
        l.Contains("too small", StringComparison.OrdinalIgnoreCase)
        || l.Contains("Not enough clusters", StringComparison.OrdinalIgnoreCase)
        || l.Contains("Too few clusters", StringComparison.OrdinalIgnoreCase)
        || l.Contains("too few", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^(?:[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})$")]
    private static partial Regex VolumeIdPattern();
}
