namespace DiskImageBuilder.IO;

/// <summary>
/// Writes a file or folder under "NAME.partial" and renames it to NAME only when it is complete, so an interrupted or
/// failed build never leaves a truncated file under a name that the next incremental build, or a user, would trust.
/// The partial copy is removed whether the write succeeds, fails or is cancelled; what NAME held before stays until
/// the rename replaces it.
/// </summary>
public static class AtomicFile
{
    /// <summary>What is appended to the name while it is written (the SDK's clean-up deletes leftovers of killed builds).</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Image archives are written in large sequential pieces.</summary>
    private const int BufferSize = 1024 * 1024;

    /// <summary>Writes <paramref name="path"/> through a stream.</summary>
    public static Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        CreateAsync(path, async (partial, token) =>
        {
            var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            await using (stream)
            {
                await write(stream, token);
                await stream.FlushAsync(token);
            }
        }, cancellationToken);

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        CreateAsync(path, (partial, token) => File.WriteAllTextAsync(partial, text, token), cancellationToken);

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>, for callers that are not asynchronous.</summary>
    public static void WriteAllText(string path, string text)
    {
        var partial = path + PartialSuffix;
        try
        {
            File.WriteAllText(partial, text);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Lets <paramref name="create"/> make the file at the path it is given (a program such as qemu-img or tar that
    /// takes an output path), then renames it to <paramref name="path"/>.
    /// </summary>
    /// <param name="partialSuffix">Appended to <paramref name="path"/> while it is written; a cache shared by several
    /// builds adds the process id, so a leftover names the build that was killed.</param>
    public static async Task CreateAsync(string path, Func<string, CancellationToken, Task> create, CancellationToken cancellationToken,
        string partialSuffix = PartialSuffix)
    {
        var partial = path + partialSuffix;
        try
        {
            // A leftover of a killed build is never appended to or reused.
            File.Delete(partial);
            await create(partial, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Lets <paramref name="fill"/> fill a new, empty folder, then puts it in place of <paramref name="path"/>. A folder
    /// cannot be renamed over another, so the old one is deleted just before: for that moment neither exists.
    /// </summary>
    public static async Task CreateDirectoryAsync(string path, Func<string, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        var target = Path.TrimEndingDirectorySeparator(path);
        var partial = target + PartialSuffix;
        try
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
            Directory.CreateDirectory(partial);
            await fill(partial, cancellationToken);
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            Directory.Move(partial, target);
        }
        finally
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
        }
    }
}
