using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// The directories the filesystems are filled from. A filesystem with no mount point nested below it is filled
/// straight from its directory in the tree. One with nested mount points (the root, below which /boot or /var
/// are filesystems of their own) is filled from a hard-link copy of its directory in which the nested mount
/// points are emptied, so the tree itself is never changed and a killed build leaves it whole. The copies live
/// under the work folder and are removed on <see cref="DisposeAsync"/>.
/// </summary>
public sealed class FilesystemSources : IAsyncDisposable
{
    private readonly string _scratch;
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    private FilesystemSources(string scratch) => _scratch = scratch;

    /// <summary>The directory that fills the filesystem mounted at <paramref name="mountPoint"/>.</summary>
    public string For(string mountPoint) => _sources[mountPoint];

    /// <summary>Prepares a source directory for every mount point in <paramref name="mountPoints"/>.</summary>
    /// <param name="scratch">A folder of the build's own (emptied first) on the same filesystem as the tree.</param>
    public static async Task<FilesystemSources> PrepareAsync(ProcessRunner runner, string tree, IReadOnlyCollection<string> mountPoints,
        string scratch, CancellationToken cancellationToken)
    {
        TreeRemoval.Delete(scratch);
        var sources = new FilesystemSources(scratch);
        try
        {
            var index = 0;
            foreach (var mountPoint in mountPoints.Order(StringComparer.Ordinal))
            {
                TreePaths.Check(tree, mountPoint, "fills a filesystem from");
                var directory = MountedContent.DirectoryOf(tree, mountPoint);
                var nested = MountedContent.NestedBelow(mountPoint, mountPoints);
                if (!Directory.Exists(directory) || nested.Count == 0)
                {
                    sources._sources[mountPoint] = directory;
                    continue;
                }

                Directory.CreateDirectory(scratch);
                var copy = Path.Combine(scratch, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                // cp -a keeps owners, modes, times, xattrs and hard links; -l links files instead of copying them.
                await runner.RunCheckedAsync(new ProcessSpec("cp", ["-a", "-l", "--no-dereference", directory + "/.", copy]),
                    ErrorCodes.FilesystemFailed, $"Preparing the content of the filesystem at {mountPoint}", cancellationToken);
                foreach (var inner in nested)
                    EmptyDirectory(Path.Combine(copy, inner[(mountPoint == "/" ? 1 : mountPoint.Length + 1)..]));
                sources._sources[mountPoint] = copy;
            }
            return sources;
        }
        catch
        {
            await sources.DisposeAsync();
            throw;
        }
    }

    private static void EmptyDirectory(string directory)
    {
        // A mount point that is a symlink or a file in the tree is not a directory to empty: leave it, the
        // filesystem below gets nothing from it either.
        var info = new DirectoryInfo(directory);
        if (!info.Exists || info.LinkTarget is not null)
            return;
        foreach (var entry in info.EnumerateFileSystemInfos())
            TreeRemoval.Delete(entry.FullName);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        TreeRemoval.Delete(_scratch);
        return ValueTask.CompletedTask;
    }
}
