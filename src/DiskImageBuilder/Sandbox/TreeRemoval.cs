using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// Removes a folder or file of the build's work folder. A root build removes it in-process. In a build as an ordinary
/// user, the tree holds folders of other owners (a dev user's home, apt's partial/, mode 0700) that the user may only
/// remove as root of the build's user namespace, so rm runs there (symbolic links are removed, never followed, and rm
/// stays on the folder's filesystem).
/// </summary>
public static class TreeRemoval
{
    /// <summary>Removes <paramref name="path"/> (a folder with everything below it, a file, or a link) if it exists.</summary>
    public static void Delete(string path)
    {
        var info = new FileInfo(path);
        var isFolder = info.LinkTarget is null && Directory.Exists(path);
        if (!isFolder && !info.Exists && info.LinkTarget is null)
            return;
        if (UserNamespace.Current is null || !isFolder)
        {
            if (isFolder)
                Directory.Delete(path, recursive: true);
            else if (!TryDeleteFile(path))
                RemoveInNamespace(path);
            return;
        }
        RemoveInNamespace(path);
    }

    private static bool TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (UnauthorizedAccessException) when (UserNamespace.Current is not null)
        {
            return false;
        }
    }

    private static void RemoveInNamespace(string path)
    {
        var result = new ProcessRunner(NullBuildLog.Instance)
            .RunAsync(new ProcessSpec("rm", ["-rf", "--one-file-system", "--", path]), CancellationToken.None).GetAwaiter().GetResult();
        if (!result.Succeeded)
            throw new IOException($"Could not remove {path} in the build's user namespace: {string.Join(' ', result.Tail)}");
    }
}
