using System.Globalization;
using System.Text.RegularExpressions;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// For a reproducible ext filesystem: mke2fs -d copies every file's change time (ctime) from the host, where nothing
/// can set it, and its access time, which reading the tree moves. Both are set to SOURCE_DATE_EPOCH afterwards, in
/// every inode in use (read from the inode bitmaps that dumpe2fs prints), by one debugfs script.
/// </summary>
internal static partial class ExtInodeTimes
{
    private const int FirstOrdinaryInode = 11;
    private const int RootInode = 2;

    public static async Task ClampAsync(ProcessRunner runner, FilesystemRequest request, string device, long epoch,
        CancellationToken cancellationToken)
    {
        var dumpe2fs = MkfsTool.Require("dumpe2fs", "e2fsprogs", "to list the inodes in use");
        var debugfs = MkfsTool.Require("debugfs", "e2fsprogs", "to set the inode times to SOURCE_DATE_EPOCH");
        var groups = new List<string>();
        var listing = await runner.RunAsync(new ProcessSpec(dumpe2fs, [device], OutputPrefix: "dumpe2fs: "), cancellationToken, groups.Add, logOutput: false);
        if (!listing.Succeeded)
            throw FilesystemErrors.Failed(request, listing, "Listing the inodes in use");

        var script = request.DiskPath + ".inode-times";
        var stamp = "@" + epoch.ToString(CultureInfo.InvariantCulture);
        try
        {
            await File.WriteAllLinesAsync(script,
                UsedInodes(groups).SelectMany(i => new[] { $"sif <{i}> ctime {stamp}", $"sif <{i}> atime {stamp}" }), cancellationToken);
            var result = await runner.RunAsync(new ProcessSpec(debugfs, ["-w", "-f", script, device],
                Environment: request.TimeEnvironment, OutputPrefix: "debugfs: "), cancellationToken, capture: _ => { }, logOutput: false);
            if (!result.Succeeded)
                throw FilesystemErrors.Failed(request, result, "Setting the inode times to SOURCE_DATE_EPOCH");
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// The inodes in use, from dumpe2fs's full listing: each group's range (from "Inodes per group") less its
    /// "Free inodes:" ranges; the reserved inodes other than the root are left as mke2fs wrote them.
    /// </summary>
    public static IEnumerable<long> UsedInodes(IReadOnlyList<string> dumpe2fsLines)
    {
        long perGroup = 0;
        long? group = null;
        foreach (var line in dumpe2fsLines)
        {
            var header = InodesPerGroup().Match(line);
            if (header.Success)
            {
                perGroup = long.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
                continue;
            }
            var groupLine = GroupLine().Match(line);
            if (groupLine.Success)
            {
                group = long.Parse(groupLine.Groups[1].Value, CultureInfo.InvariantCulture);
                continue;
            }
            var free = FreeInodes().Match(line);
            if (!free.Success || group is not { } g)
                continue;
            if (perGroup <= 0)
                throw new FormatException("dumpe2fs printed groups before 'Inodes per group'.");
            // The gaps between the free ranges (dumpe2fs prints them in order) are the inodes in use.
            var next = g * perGroup + 1;
            foreach (var (first, last) in ParseRanges(free.Groups[1].Value).Append(((g + 1) * perGroup + 1, 0)))
            {
                for (var inode = next; inode < first; inode++)
                    if (inode == RootInode || inode >= FirstOrdinaryInode)
                        yield return inode;
                next = Math.Max(next, last + 1);
            }
            group = null;
        }
    }

    private static List<(long First, long Last)> ParseRanges(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('-'))
            .Select(ends => (long.Parse(ends[0], CultureInfo.InvariantCulture), long.Parse(ends[^1], CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"^Inodes per group:\s+(\d+)")]
    private static partial Regex InodesPerGroup();

    [GeneratedRegex(@"^Group (\d+):")]
    private static partial Regex GroupLine();

    [GeneratedRegex(@"^\s+Free inodes:\s*(.*)$")]
    private static partial Regex FreeInodes();
}
