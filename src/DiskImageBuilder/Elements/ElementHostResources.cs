using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Finds, before any work, the element scripts that need a host resource this SDK does not give them: loop
/// or device-mapper devices, or the image's disk as a block device. diskimage-builder attaches the image to a loop
/// device and mounts its filesystems; this SDK writes the filesystems into the image file without attaching or
/// mounting anything, so such a script would fail halfway with a shell error (or, on the host, leave devices
/// behind). It stops the build with DIB2009 instead, naming the element, the script and line, and the reason.
/// The same for a script that sources or reads a file of diskimage-builder's own library ($_LIB) that the SDK does not give.
/// Only the phase scripts are read (not <c>static/</c> files, which run in the booted image), and not comments.
/// </summary>
public static partial class ElementHostResources
{
    /// <param name="BuiltInMayUse">
    /// The SDK's own elements that may (by name, and only the SDK's copy): cloud-image-root reads a vendor's cloud image
    /// through read-only loop mounts in its private mount namespace (no user-space reader copies XFS on the build
    /// hosts), reviewed as part of the SDK.
    /// </param>
    private sealed record Need(Regex Pattern, string What, string Instead, params string[] BuiltInMayUse);

    private static readonly Need[] Needs =
    [
        new(LoopMount(), "mounts a file through a loop device (mount -o loop)",
            "This SDK gives element scripts no loop devices. Make the filesystem image with a tool that writes it from a folder (mkfs.fat with mcopy, mke2fs -d, mksquashfs), or leave the element out.",
            "cloud-image-root"),
        new(DeviceTools(), "attaches or maps block devices (losetup, kpartx, dmsetup, partprobe)",
            "This SDK gives element scripts no loop or device-mapper devices: it partitions and fills the image file itself from the block-device layout. Describe the disk in a block-device YAML instead, or leave the element out."),
    ];

    private const string BootLoaderOntoTheDisk = "installs a boot loader onto IMAGE_BLOCK_DEVICE as a block device (grub-install)";

    private const string BootLoaderInstead =
        "Here IMAGE_BLOCK_DEVICE is the image file, not a device; the SDK's bootloader element installs GRUB into it from the image's own packages. Use that element instead, or leave this one out.";

    /// <summary>
    /// Throws DIB2009 for the first script line of <paramref name="elements"/> that needs such a resource. Elements in
    /// <paramref name="builtInDirectory"/> (the SDK's own, not an ElementsPath element of the same name) may use what a
    /// <see cref="Need"/> allows them.
    /// </summary>
    public static void Require(IEnumerable<Element> elements, string? builtInDirectory = null)
    {
        var builtIn = string.IsNullOrEmpty(builtInDirectory) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(builtInDirectory));
        foreach (var element in elements)
        {
            var isBuiltIn = builtIn is not null
                && string.Equals(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(element.Path))), builtIn, StringComparison.Ordinal);
            foreach (var phase in PhaseNames.All)
            {
                var directory = Path.Combine(element.Path, phase.Directory);
                if (!Directory.Exists(directory))
                    continue;
                foreach (var script in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
                    Check(element.Name, phase.Directory, script, isBuiltIn ? element.Name : null);
            }
        }
    }

    /// <param name="builtIn">The element's name when it is the SDK's own copy, else null.</param>
    private static void Check(string element, string phase, string script, string? builtIn)
    {
        var lines = ElementFile.Read(script, File.ReadAllLines, element);
        var code = lines.Select(line => line.TrimStart()).Select(line => line.StartsWith('#') ? "" : line).ToArray();
        for (var i = 0; i < code.Length; i++)
            foreach (var need in Needs)
                if (!need.BuiltInMayUse.Contains(builtIn) && need.Pattern.IsMatch(code[i]))
                    throw Refused(element, phase, script, i, need.What, need.Instead);
        // Any use of a file of the library the SDK does not give: sourced, or read (ramdisk-base copies
        // $_LIB/$file for a list of its files into the tree).
        for (var i = 0; i < code.Length; i++)
            foreach (Match use in LibraryUse().Matches(code[i]))
            {
                var file = use.Groups["file"].Value;
                if (PhaseEnvironment.LibraryFiles.Contains(file))
                    continue;
                var verb = LibrarySource().IsMatch(code[i]) ? "sources" : "reads";
                throw Refused(element, phase, script, i, $"{verb} diskimage-builder's build library ($_LIB/{file})",
                    $"This SDK's $_LIB holds {string.Join(", ", PhaseEnvironment.LibraryFiles)} only: the rest of diskimage-builder's library drives its own build (chroots with the host's /dev, loop devices). Use the SDK's element of that name if it has one, or leave the element out.");
            }
        // diskimage-builder's boot loader scripts name the disk in one line (BOOT_DEV=$IMAGE_BLOCK_DEVICE) and
        // run grub-install on it in another, so this need is one of the whole script.
        if (code.Any(line => GrubInstall().IsMatch(line)))
        {
            var disk = Array.FindIndex(code, line => line.Contains("IMAGE_BLOCK_DEVICE", StringComparison.Ordinal));
            if (disk >= 0)
                throw Refused(element, phase, script, disk, BootLoaderOntoTheDisk, BootLoaderInstead);
        }
    }

    private static DibException Refused(string element, string phase, string script, int index, string what, string instead) =>
        new(Diagnostics.ErrorCodes.ElementNeedsHostResource, $"Element '{element}' {what} in {phase}/{Path.GetFileName(script)} line {index + 1}, which this SDK cannot run. {instead}",
            script, index + 1);

    [GeneratedRegex(@"\bmount\b[^;|&#]*\s-o\s*\S*\bloop\b")]
    private static partial Regex LoopMount();

    [GeneratedRegex(@"(^|[\s;|&(`$])(sudo\s+(-\S+\s+)*)?(losetup|kpartx|dmsetup|partprobe)(?=\s|$|[;|&)`])")]
    private static partial Regex DeviceTools();

    [GeneratedRegex(@"(^|[\s;&|])(source|\.)\s+""?\$(_LIB|\{_LIB\})/")]
    private static partial Regex LibrarySource();

    /// <summary>A path under $_LIB; <c>file</c> is its first component, a name or a variable (<c>$file</c>).</summary>
    [GeneratedRegex(@"\$(_LIB|\{_LIB\})/(?<file>\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Za-z0-9_.-]+)")]
    private static partial Regex LibraryUse();

    [GeneratedRegex(@"\bgrub2?-install\b|\$\{?GRUBNAME\b")]
    private static partial Regex GrubInstall();
}
