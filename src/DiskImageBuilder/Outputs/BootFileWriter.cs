using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The kernel and initrd outputs (NAME.vmlinuz, NAME.initrd), as diskimage-builder's baremetal element writes them:
/// the files in the tree's /boot that the select-boot-kernel-initrd helper picks (the newest version, or
/// DIB_BAREMETAL_KERNEL_PATTERN and DIB_BAREMETAL_INITRD_PATTERN), copied out. A selected file that is not a regular
/// file of the tree (a symbolic link could point at the host's own /boot) is refused.
/// </summary>
public sealed class BootFileWriter(ProcessRunner runner)
{
    public async Task WriteAsync(string format, string tree, string outputPath, OutputOptions options, CancellationToken cancellationToken)
    {
        var environment = options.BootFileEnvironment.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        var result = await runner.RunAsync(new ProcessSpec("bash", [options.BootFileSelector, tree], Environment: environment,
            OutputPrefix: "select-boot-kernel-initrd: "), cancellationToken);
        var selected = result.Succeeded ? result.Tail.LastOrDefault()?.Split(':') : null;
        if (selected is not [{ Length: > 0 } kernel, { Length: > 0 } initrd])
        {
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The {format} output needs the image's kernel and initrd in {Path.Combine(tree, "boot")}, and " +
                $"select-boot-kernel-initrd found none: {string.Join(" ", result.Tail)}. Add an element that installs a kernel " +
                "(the 'vm' element with debian-minimal or ubuntu-minimal does), or set DIB_BAREMETAL_KERNEL_PATTERN and " +
                "DIB_BAREMETAL_INITRD_PATTERN to globs of the files in /boot.");
        }
        var name = format == "kernel" ? kernel : initrd;
        var source = Path.Combine(tree, "boot", name);
        var info = new FileInfo(source);
        if (name.Contains('/', StringComparison.Ordinal) || !info.Exists || info.LinkTarget is not null)
        {
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The {format} output would be /boot/{name} of the tree, which is not a regular file there" +
                $"{(info.LinkTarget is { } target ? $" (a symbolic link to {target})" : "")}. Make the kernel package install real files in /boot.");
        }
        await AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(
            new ProcessSpec("cp", ["--", source, temporary]), ErrorCodes.ConversionFailed, $"Copying /boot/{name}", token), cancellationToken);
        File.SetUnixFileMode(outputPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
