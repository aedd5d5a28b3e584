using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>Finds the filesystem programs before anything is written, naming the Debian package of a missing one.</summary>
internal static class MkfsTool
{
    // Debian keeps the mkfs programs in /usr/sbin, which is not on every PATH.
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of <paramref name="program"/>; DIB5001 naming <paramref name="debianPackage"/> when missing.</summary>
    public static string Require(string program, string debianPackage, string purpose)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new DibException(ErrorCodes.MissingHostTools,
            $"'{program}' is needed {purpose} but is not installed. Install the Debian package '{debianPackage}' " +
            $"(apt-get install {debianPackage}), or run ./eng/install-host-tools.sh.");
    }
}
