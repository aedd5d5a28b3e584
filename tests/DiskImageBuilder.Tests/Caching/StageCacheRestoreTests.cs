using DiskImageBuilder.Caching;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Caching;

/// <summary>
/// Restoring a snapshot into the work folder that held it before replaces only what changed since, and
/// the result is the snapshot exactly, whatever the later stages did to the tree.
/// </summary>
[TestClass]
[TestCategory(TestCategories.HostTools)]
public sealed class StageCacheRestoreTests
{
    private static readonly string Key = new('a', 64);

    private string _root = "";

    [TestInitialize]
    public void CreateFolders() => _root = Directory.CreateTempSubdirectory("stage-cache-restore-").FullName;

    [TestCleanup]
    public void RemoveFolders() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public async Task TryRestore_IntoTheTreeThatHeldIt_ReplacesOnlyChangedEntriesAndEqualsTheSnapshot()
    {
        var work = Path.Combine(_root, "work");
        Write(work, "tree/etc/kept", "kept");
        Write(work, "tree/etc/appended", "one");
        Write(work, "tree/etc/chmodded", "mode");
        Write(work, "tree/etc/deleted", "deleted");
        Write(work, "tree/var/lists/a", "list a");
        Write(work, "tree/var/lists/b", "list b");
        Write(work, "tree/etc/becomes-dir", "file");
        Write(work, "hooks/install.d/50-x", "#!/bin/sh");
        Directory.CreateSymbolicLink(Path.Combine(work, "tree/etc/link"), "kept");
        var log = new RecordingBuildLog();
        var cache = new StageCache(Path.Combine(_root, "cache"), new ProcessRunner(log), log);
        await cache.SaveAsync(Key, work, CancellationToken.None);
        var expected = Listing(work);
        var keptInode = Inode(Path.Combine(work, "tree/etc/kept"));
        await Task.Delay(50); // a later clock tick than the record, as a later script runs

        // What later stages do: change in place, chmod, delete files and a folder, add files and folders.
        File.AppendAllText(Path.Combine(work, "tree/etc/appended"), "two");
        File.SetUnixFileMode(Path.Combine(work, "tree/etc/chmodded"), UnixFileMode.UserRead);
        File.Delete(Path.Combine(work, "tree/etc/deleted"));
        Directory.Delete(Path.Combine(work, "tree/var/lists"), recursive: true);
        Write(work, "tree/etc/added", "added");
        Write(work, "tree/new/folder/file", "new");
        File.Delete(Path.Combine(work, "tree/etc/becomes-dir"));
        Write(work, "tree/etc/becomes-dir/inner", "inner");
        Write(work, "build/sandbox/leftover", "x");

        Assert.IsTrue(await cache.TryRestoreAsync(Key, work, CancellationToken.None));

        CollectionAssert.AreEqual(expected, Listing(work), "the tree is the snapshot again");
        Assert.AreEqual(keptInode, Inode(Path.Combine(work, "tree/etc/kept")), "an unchanged file is kept, not extracted again");
        Assert.IsTrue(log.Lines.Any(l => l.StartsWith("Restoring ", StringComparison.Ordinal) && l.Contains("entries of stage snapshot")));

        // Restored once more with nothing changed in between: still the snapshot.
        Assert.IsTrue(await cache.TryRestoreAsync(Key, work, CancellationToken.None));
        CollectionAssert.AreEqual(expected, Listing(work));
    }

    [TestMethod]
    public async Task TryRestore_RecordOfAnotherEntryWithTheSameKey_RestoresEverything()
    {
        var work = Path.Combine(_root, "work");
        Write(work, "tree/etc/file", "first build");
        var log = new RecordingBuildLog();
        var cache = new StageCache(Path.Combine(_root, "cache"), new ProcessRunner(log), log);
        await cache.SaveAsync(Key, work, CancellationToken.None);

        // Another build wrote the entry again (same key, other content): the record no longer matches it.
        var other = Path.Combine(_root, "other");
        Write(other, "tree/etc/file", "other build");
        File.Delete(Path.Combine(_root, "cache", Key + ".tar.zst"));
        File.Delete(Path.Combine(_root, "cache", Key + ".sha256"));
        await cache.SaveAsync(Key, other, CancellationToken.None);

        Assert.IsTrue(await cache.TryRestoreAsync(Key, work, CancellationToken.None));
        Assert.AreEqual("other build", File.ReadAllText(Path.Combine(work, "tree/etc/file")));
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Every entry with its type, mode and content (or link target), in order.</summary>
    private static string[] Listing(string work) =>
    [
        .. StageCache.SnapshotFolders.Select(f => Path.Combine(work, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFileSystemEntries(f, "*", SearchOption.AllDirectories))
            .Where(p => !p.Contains("/build/sandbox", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p =>
            {
                var info = new FileInfo(p);
                var what = info.LinkTarget is { } target ? "link " + target
                    : Directory.Exists(p) ? "dir" : File.ReadAllText(p);
                return $"{Path.GetRelativePath(work, p)} {File.GetUnixFileMode(p)} {what}";
            }),
    ];

    private static string Inode(string path)
    {
        var result = new System.Diagnostics.Process
        {
            StartInfo = new("stat", ["-c", "%i", path]) { RedirectStandardOutput = true },
        };
        result.Start();
        var inode = result.StandardOutput.ReadToEnd().Trim();
        result.WaitForExit();
        return inode;
    }
}
