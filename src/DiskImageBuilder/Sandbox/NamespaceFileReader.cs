using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// Reads a file of the tree that the ordinary user of a rootless build may not open itself (it lies in a folder of
/// another owner of the image, such as a dev user's 0700 home): cp, run as root of the build's user namespace, copies it
/// to a temporary file of the user's own, which is opened and removed when closed.
/// </summary>
public static class NamespaceFileReader
{
    /// <summary>A stream over a copy of <paramref name="path"/>, made in the build's user namespace.</summary>
    public static FileStream OpenCopy(string path)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"dib-read-{Guid.NewGuid():N}");
        var result = new ProcessRunner(NullBuildLog.Instance)
            .RunAsync(new ProcessSpec("cp", ["--no-preserve=all", "--", path, copy]), CancellationToken.None).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            File.Delete(copy);
            throw new IOException($"cp in the build's user namespace could not read it: {string.Join(' ', result.Tail)}");
        }
        return new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
    }
}
