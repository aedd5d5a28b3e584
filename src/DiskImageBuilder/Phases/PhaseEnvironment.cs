using DiskImageBuilder.Host;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The environment contract of diskimage-builder: which variables a script sees in which phase.
/// Scripts get exactly this set; nothing leaks in from the build process.
/// </summary>
public static class PhaseEnvironment
{
    public const string HooksPathInChroot = "/tmp/in_target.d";
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static IReadOnlyDictionary<string, string> For(PhaseInfo phase, BuildContext context)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = "/root",
            ["LC_ALL"] = "C",
            ["LANG"] = "C",
            ["IMAGE_NAME"] = context.ImageName,
            ["ARCH"] = context.Arch,
            ["IMAGE_ELEMENT"] = string.Join(' ', context.Elements),
            ["ELEMENTS_PATH"] = context.ElementsPath,
            ["DIB_IMAGE_CACHE"] = context.ImageCacheDir,
            ["DIB_OFFLINE"] = context.Offline ? "1" : "",
            ["TMP_BUILD_DIR"] = context.BuildDir,
            ["TMP_HOOKS_PATH"] = phase.InChroot ? HooksPathInChroot : context.HooksDir,
            ["DEBIAN_FRONTEND"] = "noninteractive",
        };
        foreach (var (name, value) in ArchitectureProfile.For(context.Arch).Environment)
            env[name] = value;
        if (!string.IsNullOrEmpty(context.Release))
            env["DIB_RELEASE"] = context.Release;
        if (!phase.InChroot)
        {
            env["TMP_MOUNT_PATH"] = context.TreeDir;
            env["PATH"] = HostSudoShim.DirectoryFor(context.HooksDir) + ":" + DefaultPath;
        }
        // diskimage-builder sets TARGET_ROOT only where the tree is created and where it is tidied.
        if (phase.Directory is "root.d" or "cleanup.d")
            env["TARGET_ROOT"] = context.TreeDir;
        foreach (var (name, value) in context.BlockDeviceEnvironment)
            env[name] = value;
        foreach (var (name, value) in context.UserEnvironment)
            env[name] = value;
        return env;
    }
}
