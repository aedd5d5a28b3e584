namespace DiskImageBuilder.Phases;

/// <summary>
/// The <c>sudo</c> that host-side element scripts (root.d, extra-data.d, block-device.d, cleanup.d, ...) find first
/// on their PATH. diskimage-builder runs as a user and its host-side scripts call <c>sudo</c> for root work; here
/// the build already runs as root, so the command runs as it is, whether or not the host has sudo. The chroot
/// keeps the image's own sudo.
/// </summary>
public static class HostSudoShim
{
    /// <summary>The folder under the build's hooks that holds the shim; put first on the host scripts' PATH.</summary>
    public static string DirectoryFor(string hooksDir) => Path.Combine(hooksDir, ".dib-host-bin");

    /// <summary>Writes the shim (mode 0755) unless it is there already with this content.</summary>
    public static void Ensure(string hooksDir)
    {
        var directory = DirectoryFor(hooksDir);
        var path = Path.Combine(directory, "sudo");
        if (File.Exists(path) && File.ReadAllText(path) == Script)
            return;
        Directory.CreateDirectory(directory);
        File.WriteAllText(path, Script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    // Options that only change how sudo asks or what it keeps (-E, -n, -H, ...) are accepted and change nothing:
    // the environment is the script's already. -u names the user to run as (root by default); another user runs
    // through runuser. Leading NAME=value words set variables, as sudo's do. An option this shim does not know
    // fails with a message naming it, not with a silently different command.
    internal const string Script = """
        #!/bin/sh
        # sudo for diskimage-builder's host-side element scripts, written by DiskImageBuilder.Sdk: the build runs as
        # root, so the command runs as it is.
        user=root
        while [ $# -gt 0 ]; do
            case "$1" in
                -E|-n|-H|-S|-k|-K|-P|-b|--preserve-env|--preserve-env=*|--non-interactive|--set-home|--stdin|--reset-timestamp) shift ;;
                -u|--user) [ $# -ge 2 ] || { echo "sudo (DiskImageBuilder.Sdk): $1 needs a user" >&2; exit 1; }; user=$2; shift 2 ;;
                -u*) user=${1#-u}; shift ;;
                --user=*) user=${1#--user=}; shift ;;
                -g|--group|-p|--prompt|-C|--close-from) shift 2 ;;
                -g*|--group=*|-p*|--prompt=*) shift ;;
                -[EnHSkP][EnHSkP]*) shift ;;
                --) shift; break ;;
                -*) echo "sudo (DiskImageBuilder.Sdk): option '$1' is not supported in host-side element scripts; the build already runs as root, so call the command without sudo" >&2; exit 1 ;;
                *) break ;;
            esac
        done
        [ $# -gt 0 ] || { echo "sudo (DiskImageBuilder.Sdk): no command given" >&2; exit 1; }
        case "$user" in
            root|0|'#0') exec env -- "$@" ;;
            *) exec runuser -u "$user" -- env -- "$@" ;;
        esac

        """;
}
