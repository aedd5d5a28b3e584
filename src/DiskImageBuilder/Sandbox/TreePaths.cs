using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// Paths inside the image tree that the build creates, mounts on, writes, reads or removes from the
/// host side. Scripts in the tree run as root, so any of them may have planted a symbolic link
/// (tree/tmp -> /root): followed from the host, it would send a mkdir, a mount, a write or a delete
/// out of the tree. Each such path is walked one component at a time from the tree's root, and a
/// link or a non-folder on the way is refused.
/// </summary>
public static class TreePaths
{
    /// <summary>
    /// The first component of <paramref name="root"/>/<paramref name="relative"/> that is a symbolic
    /// link or exists without being a folder, or null. Components that do not exist yet are fine.
    /// </summary>
    public static string? FirstUnsafeComponent(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..")
                return Path.Combine(path, part);
            path = Path.Combine(path, part);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                return path;
            if (Directory.Exists(path))
                continue;
            return info.Exists ? path : null;
        }
        return null;
    }

    /// <summary>
    /// Throws DIB5050 unless every existing component of <paramref name="root"/>/<paramref name="relative"/>
    /// is a real folder; <paramref name="what"/> says what the build does there ("mounts on", "removes").
    /// </summary>
    public static void Check(string root, string relative, string what)
    {
        if (FirstUnsafeComponent(root, relative) is { } unsafePath)
            throw Unsafe(unsafePath, relative, what);
    }

    /// <summary>
    /// Throws DIB5050 unless the file <paramref name="root"/>/<paramref name="relativeFile"/> is reached
    /// through real folders only and is not a symbolic link itself (it need not exist).
    /// </summary>
    public static void CheckFile(string root, string relativeFile, string what)
    {
        Check(root, Path.GetDirectoryName(relativeFile) ?? "", what);
        var path = Path.Combine(root, relativeFile);
        if (new FileInfo(path).LinkTarget is not null)
            throw Unsafe(path, relativeFile, what);
    }

    /// <summary>The DIB5050 error for <paramref name="unsafePath"/>, naming a link's target.</summary>
    public static DibException Unsafe(string unsafePath, string relative, string what)
    {
        var target = new FileInfo(unsafePath).LinkTarget;
        var kind = target is not null ? $"a symbolic link to '{target}'" : "not a folder";
        return new DibException(ErrorCodes.TreePathIsLink,
            $"{unsafePath} in the image tree is {kind}. The build {what} /{relative.TrimStart('/')} of the tree from the host " +
            "side, where a link could lead out of the tree to the host's own files, so it never follows one there. " +
            "An element script that ran before put the link there: make it keep a real folder (or file).");
    }
}
