using DiskImageBuilder.Host;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The environment contract of diskimage-builder: which variables a script sees in which phase.
/// Scripts get exactly this set; nothing leaks in from the build process.
/// </summary>
public static class PhaseEnvironment
{
    public const string HooksPathInChroot = "/tmp/in_target.d";

    /// <summary>
    /// The files of diskimage-builder's library (_LIB) that the SDK gives host-side scripts: img-functions, for
    /// select_boot_kernel_initrd. The rest drives diskimage-builder's own build; a script that sources it is DIB2009.
    /// </summary>
    public static readonly IReadOnlyList<string> LibraryFiles = ["img-functions"];
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
            ["IMAGE_ELEMENT_YAML"] = ElementPathsYaml(context.ElementPaths),
            // diskimage-builder exports a bash function (bash cannot export arrays) that prints the elements as
            // "[name]=path ..." for: eval declare -A image_elements=($(get_image_element_array)). The paths are
            // single-quoted in what it prints, so that a folder with a blank in its path survives the eval.
            [ExportedFunctionPrefix + "get_image_element_array%%"] =
                "() {  echo \"" + string.Join(' ', context.ElementPaths.Select(e => $"[{e.Key}]={InDoubleQuotes(SingleQuoted(e.Value))}")) + "\"\n}",
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
            if (!string.IsNullOrEmpty(context.LibraryDir))
                env["_LIB"] = context.LibraryDir;
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

    /// <summary>How bash passes an exported function through the environment (<c>export -f</c>).</summary>
    private const string ExportedFunctionPrefix = "BASH_FUNC_";

    /// <summary>IMAGE_ELEMENT_YAML as diskimage-builder writes it: a YAML map from element name to folder, names sorted.</summary>
    private static string ElementPathsYaml(IReadOnlyList<KeyValuePair<string, string>> paths) =>
        paths.Count == 0 ? "{}\n" : string.Concat(paths.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {YamlScalar(e.Value)}\n"));

    private static string SingleQuoted(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string InDoubleQuotes(string value) =>
        string.Concat(value.Select(c => c is '"' or '\\' or '$' or '`' ? "\\" + c : c.ToString()));

    private static string YamlScalar(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+') && value.Length > 0 && value[0] is not ('-' or '.')
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
