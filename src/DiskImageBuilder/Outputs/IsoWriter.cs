using System.Globalization;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The iso output (NAME.iso): a bootable ISO 9660 image that runs the image live from RAM, its kernel and the whole
/// tree as the initramfs, booted by GRUB. grub-mkrescue makes it from the host's GRUB: El Torito for BIOS
/// (i386-pc) and UEFI (an EFI system image with x86_64-efi GRUB), and hybrid, with an MBR and an EFI system
/// partition, so the same file boots written to a USB stick.
/// </summary>
public sealed class IsoWriter(ProcessRunner runner, IBuildLog log)
{
    /// <summary>The host files grub-mkrescue builds the two boot paths from, with their Debian packages.</summary>
    public static readonly IReadOnlyList<HostTool> Tools =
    [
        new("grub-mkrescue", "grub-common", "writing the iso output"),
        new("xorriso", "xorriso", "writing the iso output"),
        new("mformat", "mtools", "the EFI system image inside the iso output"),
        new("/usr/lib/grub/i386-pc/cdboot.img", "grub-pc-bin", "BIOS boot of the iso output"),
        new("/usr/lib/grub/x86_64-efi/linux.mod", "grub-efi-amd64-bin", "UEFI boot of the iso output"),
    ];

    /// <summary>The architecture whose two firmwares (BIOS and UEFI) the ISO boots; the build plan refuses others up front.</summary>
    public const string Architecture = "amd64";

    public async Task WriteAsync(string tree, string outputPath, OutputOptions options, CancellationToken cancellationToken)
    {
        var imageName = Path.GetFileNameWithoutExtension(outputPath);
        var staging = outputPath + ".staging";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        try
        {
            var live = Directory.CreateDirectory(Path.Combine(staging, "live")).FullName;
            var grub = Directory.CreateDirectory(Path.Combine(staging, "boot", "grub")).FullName;
            await new BootFileWriter(runner).WriteAsync("kernel", tree, Path.Combine(live, "vmlinuz"), options, cancellationToken);
            await new InitramfsWriter(runner, log).WriteAsync(tree, Path.Combine(live, "initramfs"), options.RamdiskMemoryBytes, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(grub, "grub.cfg"),
                LiveBootFiles.GrubConfig(imageName, "/live/vmlinuz", "/live/initramfs"), cancellationToken);
            var volume = VolumeId(imageName);
            await AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(
                new ProcessSpec("grub-mkrescue", ["--output=" + temporary, staging, "--", "-volid", volume, .. ClampedDates(options)],
                    Environment: ReproducibleEnvironment(options, staging + ".bin"),
                    OutputPrefix: "grub-mkrescue: "),
                ErrorCodes.ConversionFailed, "Making the ISO image with grub-mkrescue", token), cancellationToken);
            log.Progress($"iso: {new FileInfo(outputPath).Length / 1024 / 1024} MiB, volume {volume}, boots with BIOS and UEFI, from a CD or a disk");
        }
        finally
        {
            foreach (var folder in new[] { staging, staging + ".bin" })
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// With SOURCE_DATE_EPOCH, every file in the ISO gets that time (xorriso alone would keep the modification times
    /// of the files grub-mkrescue copies at build time); the volume dates and the GPT disk GUID follow the variable,
    /// and mtools makes the EFI system image's serial from it.
    /// </summary>
    internal static IEnumerable<string> ClampedDates(OutputOptions options) =>
        options.SourceDateEpoch is { } epoch
            ? ["-volume_date", "uuid", DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyyMMddHHmmss00", CultureInfo.InvariantCulture),
               "-volume_date", "all_file_dates", "=" + epoch.ToString(CultureInfo.InvariantCulture)]
            : [];

    /// <summary>
    /// With SOURCE_DATE_EPOCH: the variable itself (xorriso takes the GPT disk GUID from it), and a PATH whose first
    /// folder holds an mformat that passes a seeded serial number (-N): grub-mkrescue formats the EFI system image with
    /// mformat, which otherwise draws the FAT serial at random, the one byte-level difference left between two builds.
    /// </summary>
    private static Dictionary<string, string?>? ReproducibleEnvironment(OutputOptions options, string shimFolder)
    {
        if (options.SourceDateEpoch is not { } epoch || options.Identifiers is not { } ids)
            return null;
        var mformat = HostTools.Find("mformat")
            ?? throw new DibException(ErrorCodes.MissingHostTools, "Missing host tools: mformat (the EFI system image inside the iso output). Install them with: apt-get install -y mtools");
        Directory.CreateDirectory(shimFolder);
        var shim = Path.Combine(shimFolder, "mformat");
        File.WriteAllText(shim, $"#!/bin/sh\nexec '{mformat}' -N {ids.Id32("iso-efi-image"):x8} \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["PATH"] = shimFolder + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
    }

    /// <summary>ISO 9660 volume ids are up to 32 upper-case letters, digits and underscores.</summary>
    internal static string VolumeId(string imageName)
    {
        var id = new string([.. imageName.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return id.Length > 32 ? id[..32] : id;
    }
}
