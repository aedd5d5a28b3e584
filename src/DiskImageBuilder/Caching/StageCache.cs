using System.Security.Cryptography;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Caching;

/// <summary>
/// Content-addressed snapshots of the build folder's tree and hooks after each stage, one
/// <c>KEY.tar.zst</c> per stage key with a <c>KEY.sha256</c> beside it. An entry is written under a
/// temporary name and renamed into place only once complete, so a build killed at any moment leaves
/// nothing a later build would use; an entry whose hash does not match is deleted and rebuilt. A lock
/// per key keeps two builds from writing the same entry; readers need none (rename is atomic).
/// </summary>
public sealed class StageCache(string directory, ProcessRunner runner, IBuildLog log)
{
    /// <summary>What a snapshot holds, relative to the build's work folder: the tree, the merged hooks
    /// (extra-data.d writes there) and the build folder (elements leave files there, e.g. manifests).</summary>
    public static readonly IReadOnlyList<string> SnapshotFolders = ["tree", "hooks", "build"];

    public string Directory { get; } = directory;

    private string Entry(string key) => Path.Combine(Directory, key + ".tar.zst");

    private string Digest(string key) => Path.Combine(Directory, key + ".sha256");

    public bool Contains(string key) => File.Exists(Entry(key)) && File.Exists(Digest(key));

    /// <summary>Checks an entry against its digest; a corrupt one is removed (with a warning) and false returned.</summary>
    public async Task<bool> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (!Contains(key))
            return false;
        string actual;
        await using (var stream = File.OpenRead(Entry(key)))
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        var expected = (await File.ReadAllTextAsync(Digest(key), cancellationToken)).Trim();
        if (actual == expected)
            return true;
        log.Warning(ErrorCodes.CacheEntryCorrupt,
            $"Stage cache entry {Entry(key)} is corrupt (SHA-256 {actual}, expected {expected}); it is removed and the stage rebuilt.");
        File.Delete(Entry(key));
        File.Delete(Digest(key));
        return false;
    }

    /// <summary>
    /// Restores the snapshot into <paramref name="workDir"/>; false (and the entry removed) if it is corrupt.
    /// When the work folder held this snapshot before (its <see cref="SnapshotState"/> record matches the
    /// entry), only the entries changed since are replaced; the others are already as the snapshot holds them.
    /// </summary>
    public async Task<bool> TryRestoreAsync(string key, string workDir, CancellationToken cancellationToken)
    {
        if (!await VerifyAsync(key, cancellationToken))
            return false;
        var entry = Entry(key);
        var digest = (await File.ReadAllTextAsync(Digest(key), cancellationToken)).Trim();
        var state = new SnapshotState(runner);
        var recorded = SnapshotState.Load(workDir, key, digest);
        SnapshotState.Forget(workDir, key);
        string[] selection = [];
        var list = Path.Combine(workDir, "snapshot-restore.list");
        if (recorded is not null)
        {
            var members = await RemoveChangedAsync(recorded, workDir, state, cancellationToken);
            await File.WriteAllTextAsync(list, string.Join('\0', members) + "\0", cancellationToken);
            selection = ["--no-recursion", "--null", "--verbatim-files-from", "-T", list];
            log.Detail($"Restoring {members.Count} of {recorded.Count} entries of stage snapshot {key[..12]}; the others are unchanged since this tree held it");
        }
        else
        {
            foreach (var folder in SnapshotFolders)
            {
                var path = Path.Combine(workDir, folder);
                Sandbox.TreeRemoval.Delete(path);
            }
        }
        try
        {
            await runner.RunCheckedAsync(new ProcessSpec("tar",
                ["--extract", "--xattrs", "--xattrs-include=*", "--numeric-owner", "--same-permissions", "-I", "zstd -T0",
                 "-f", entry, "-C", workDir, .. selection]), ErrorCodes.CacheRestoreFailed, $"Restoring stage snapshot {entry}", cancellationToken);
        }
        finally
        {
            File.Delete(list);
        }
        await state.RecordAsync(workDir, key, digest, cancellationToken);
        File.SetLastWriteTimeUtc(entry, DateTime.UtcNow);
        return true;
    }

    /// <summary>
    /// Deletes every entry of the work folder that is not as <paramref name="recorded"/> says, and returns
    /// the archive members to extract: the deleted or missing ones, and every folder (for its mode and times).
    /// </summary>
    private static async Task<List<string>> RemoveChangedAsync(Dictionary<string, SnapshotState.Entry> recorded, string workDir,
        SnapshotState state, CancellationToken cancellationToken)
    {
        var current = await state.ScanAsync(workDir, cancellationToken);
        var kept = current.Where(c => recorded.TryGetValue(c.Key, out var r) && SnapshotState.Unchanged(r, c.Value))
            .Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var removedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, entry) in current.Where(c => !kept.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (Ancestors(path).Any(removedFolders.Contains))
                continue;
            var full = Path.Combine(workDir, path);
            Sandbox.TreeRemoval.Delete(full);
            if (entry.Type == 'd')
                removedFolders.Add(path);
        }
        // The sandbox's files are not part of a snapshot; a full restore removes them with build/.
        var sandbox = Path.Combine(workDir, "build", "sandbox");
        Sandbox.TreeRemoval.Delete(sandbox);
        return [.. recorded.Where(r => r.Value.Type == 'd' || !kept.Contains(r.Key)).Select(r => r.Key)];
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            yield return path[..slash];
    }

    /// <summary>Saves the work folder's tree and hooks under <paramref name="key"/> unless present or being written.</summary>
    public async Task SaveAsync(string key, string workDir, CancellationToken cancellationToken)
    {
        if (Contains(key))
            return;
        System.IO.Directory.CreateDirectory(Directory);
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(Path.Combine(Directory, key + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            log.Detail($"Stage cache entry {key} is being written by another build; not writing it twice.");
            return;
        }
        using (lockStream)
        {
            var digest = "";
            await AtomicFile.CreateAsync(Entry(key), async (temporary, token) =>
            {
                await runner.RunCheckedAsync(new ProcessSpec("tar",
                    ["--create", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-I", "zstd -T0 -3",
                     "--exclude=build/sandbox", "-f", temporary, "-C", workDir,
                     .. SnapshotFolders.Where(f => System.IO.Directory.Exists(Path.Combine(workDir, f)))]), ErrorCodes.CacheWriteFailed,
                    "Writing a stage snapshot", token);
                await using var stream = File.OpenRead(temporary);
                digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, token));
            }, cancellationToken, partialSuffix: $"{AtomicFile.PartialSuffix}-{Environment.ProcessId}");
            // The archive first, then its digest: an entry counts only when both exist.
            await AtomicFile.WriteAllTextAsync(Digest(key), digest + "\n", cancellationToken);
            // The tree is exactly what the entry holds: a later restore of it can keep what did not change.
            await new SnapshotState(runner).RecordAsync(workDir, key, digest, cancellationToken);
        }
        File.Delete(Path.Combine(Directory, key + ".lock"));
    }

    /// <summary>Removes the least recently used entries until the cache is under <paramref name="maxBytes"/>,
    /// and temporary files of builds that were killed more than an hour ago.</summary>
    public void Trim(long maxBytes)
    {
        if (!System.IO.Directory.Exists(Directory))
            return;
        foreach (var stale in new DirectoryInfo(Directory).EnumerateFiles($"*{AtomicFile.PartialSuffix}*")
                     .Where(f => f.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1)))
            stale.Delete();
        var entries = new DirectoryInfo(Directory).EnumerateFiles("*.tar.zst").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        long total = 0;
        foreach (var entry in entries)
        {
            total += entry.Length;
            if (total <= maxBytes)
                continue;
            log.Detail($"Stage cache over its limit: removing {entry.Name}");
            File.Delete(Path.ChangeExtension(Path.ChangeExtension(entry.FullName, null), ".sha256"));
            entry.Delete();
        }
    }
}
