using System.Text;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Caching;

/// <summary>
/// What the work folder looked like when it last held a stage snapshot exactly (right after this build
/// wrote or restored it): every entry's type, inode and change time (ctime), kept in
/// <c>snapshot-states/KEY</c> beside the tree. The kernel sets an inode's ctime on every change to its
/// content, mode, owner, links or extended attributes, and no program can set it back; so an entry whose
/// inode and ctime are still the recorded ones is still as the snapshot holds it, and restoring that
/// snapshot again need only replace the other entries. Entries changed in the same clock tick as the
/// record are recorded as unknown: a later change could carry the same ctime.
/// </summary>
public sealed class SnapshotState(ProcessRunner runner)
{
    private const string Folder = "snapshot-states";

    /// <summary>How many records a work folder keeps (the newest); each is about 100 bytes per entry.</summary>
    private const int KeptRecords = 8;

    private const string Unknown = "?";

    /// <summary>One entry: its type as find prints it (f, d, l, ...) and "inode ctime", or "?" when not known.</summary>
    public sealed record Entry(char Type, string Identity);

    /// <summary>Records the work folder as snapshot <paramref name="key"/> with entry digest <paramref name="digest"/>.</summary>
    public async Task RecordAsync(string workDir, string key, string digest, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workDir, Folder);
        Directory.CreateDirectory(folder);
        var entries = await ScanAsync(workDir, cancellationToken);
        var text = new StringBuilder().Append(digest).Append('\0');
        foreach (var (path, entry) in entries)
            text.Append(entry.Type).Append(' ').Append(entry.Identity).Append(' ').Append(path).Append('\0');
        var file = Path.Combine(folder, key);
        await AtomicFile.WriteAllTextAsync(file, text.ToString(), cancellationToken);
        foreach (var old in new DirectoryInfo(folder).EnumerateFiles().OrderByDescending(f => f.LastWriteTimeUtc).Skip(KeptRecords))
            old.Delete();
    }

    /// <summary>Forgets the record of <paramref name="key"/> (the work folder no longer matches it).</summary>
    public static void Forget(string workDir, string key)
    {
        var file = Path.Combine(workDir, Folder, key);
        if (File.Exists(file))
            File.Delete(file);
    }

    /// <summary>The record of <paramref name="key"/>, if there is one for the entry with this digest.</summary>
    public static Dictionary<string, Entry>? Load(string workDir, string key, string digest)
    {
        var file = Path.Combine(workDir, Folder, key);
        if (!File.Exists(file))
            return null;
        var parts = File.ReadAllText(file).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0] != digest)
            return null;
        return parts.Skip(1).Select(Parse).ToDictionary(e => e.Path, e => e.Entry, StringComparer.Ordinal);
    }

    /// <summary>Every entry of the snapshot folders (tree, hooks, build without its sandbox), by relative path.</summary>
    public async Task<Dictionary<string, Entry>> ScanAsync(string workDir, CancellationToken cancellationToken)
    {
        var listing = Path.Combine(workDir, Folder + ".scan");
        var probe = Path.Combine(workDir, Folder + ".now");
        // The probe is written after every entry of the tree: its ctime is "now" as the file system sees it.
        await File.WriteAllTextAsync(probe, "", cancellationToken);
        var folders = StageCache.SnapshotFolders.Where(f => Directory.Exists(Path.Combine(workDir, f))).ToList();
        try
        {
            await runner.RunCheckedAsync(new ProcessSpec("find",
                [Path.GetFileName(probe), .. folders, "-path", "build/sandbox", "-prune", "-o", "-fprintf", listing, @"%y %i %C@ %p\0"],
                WorkingDirectory: workDir), Diagnostics.ErrorCodes.CacheRestoreFailed, "Listing the work folder", cancellationToken);
            var lines = (await File.ReadAllTextAsync(listing, cancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(Parse).ToList();
            var now = Ctime(lines.Single(l => l.Path == Path.GetFileName(probe)).Entry);
            return lines.Where(l => l.Path != Path.GetFileName(probe)).ToDictionary(l => l.Path,
                l => Ctime(l.Entry) >= now ? l.Entry with { Identity = Unknown } : l.Entry, StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(listing);
            File.Delete(probe);
        }
    }

    /// <summary>Whether an entry is still as recorded: same type, and for anything but a folder the same inode and ctime.</summary>
    public static bool Unchanged(Entry recorded, Entry now) =>
        recorded.Type == now.Type && (now.Type == 'd' || (recorded.Identity != Unknown && recorded.Identity == now.Identity));

    private static decimal Ctime(Entry entry) => decimal.Parse(entry.Identity.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static (string Path, Entry Entry) Parse(string line)
    {
        // "TYPE INODE CTIME PATH" or "TYPE ? PATH"
        var type = line[0];
        var rest = line[2..];
        if (rest.StartsWith(Unknown + " ", StringComparison.Ordinal))
            return (rest[2..], new Entry(type, Unknown));
        var inodeEnd = rest.IndexOf(' ');
        var ctimeEnd = rest.IndexOf(' ', inodeEnd + 1);
        return (rest[(ctimeEnd + 1)..], new Entry(type, rest[..ctimeEnd]));
    }
}
