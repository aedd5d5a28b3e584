using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// Runs podman on image storage of its own in a temp folder (vfs driver, no events, no systemd), so a test never
/// touches the host's images; the folder is deleted on dispose.
/// </summary>
internal sealed class PodmanStore : IDisposable
{
    /// <summary>
    /// podman 4.3 keeps a blob cache in /var/lib/containers/cache whatever --root says, so each run gets a private
    /// mount namespace with an empty tmpfs on /var/lib; the mount ends with the process.
    /// </summary>
    private const string HideVarLib = "mount -t tmpfs dib-podman /var/lib && exec \"$0\" \"$@\"";

    private readonly string _root = Directory.CreateTempSubdirectory("dib-podman-").FullName;

    public string Run(params string[] arguments)
    {
        HostTool.Require("podman", "podman");
        return HostTool.Run("unshare", "util-linux",
        [
            "--mount", "--propagation", "private", "--", "sh", "-c", HideVarLib,
            "podman",
            "--root", Path.Combine(_root, "storage"),
            "--runroot", Path.Combine(_root, "run"),
            "--tmpdir", Path.Combine(_root, "tmp"),
            "--storage-driver", "vfs",
            "--events-backend", "none",
            "--cgroup-manager", "cgroupfs",
            .. arguments,
        ]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
