using System.Globalization;
using System.Text.Json;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The vagrant-libvirt output, NAME.vagrant-libvirt.box: the gzip'd tar that vagrant-libvirt's box format (version 1)
/// describes, holding metadata.json (provider libvirt, format qcow2, the virtual size in whole GB), a Vagrantfile with the
/// machine's CPUs and memory (and the UEFI loader for an EFI layout), and box.img, the disk as qcow2.
/// </summary>
public sealed class VagrantBoxWriter(ProcessRunner runner)
{
    public async Task WriteAsync(string rawPath, string outputPath, VirtualHardware hardware, OutputOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var scratch = outputPath + ".d" + AtomicFile.PartialSuffix;
        try
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
            Directory.CreateDirectory(scratch);
            await runner.RunCheckedAsync(new ProcessSpec("qemu-img", ["convert", "-f", "raw", .. QemuImgConverter.ConvertArguments("qcow2", options),
                rawPath, Path.Combine(scratch, "box.img")], OutputPrefix: "qemu-img: "), ErrorCodes.ConversionFailed, "Converting the disk for the vagrant-libvirt box",
                cancellationToken);
            var gigabytes = (new FileInfo(rawPath).Length + (1L << 30) - 1) >> 30;
            await File.WriteAllTextAsync(Path.Combine(scratch, "metadata.json"), Metadata(gigabytes), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(scratch, "Vagrantfile"), Vagrantfile(hardware), cancellationToken);
            await AtomicFile.CreateAsync(outputPath, (temporary, token) => runner.RunCheckedAsync(
                new ProcessSpec("tar", ["--owner=0", "--group=0", "--numeric-owner", "--use-compress-program=gzip -n", .. TarTime(options.SourceDateEpoch),
                    "-cf", temporary, "-C", scratch, "metadata.json", "Vagrantfile", "box.img"], OutputPrefix: "tar: "),
                ErrorCodes.ConversionFailed, "Writing the vagrant-libvirt box", token), cancellationToken);
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>GNU tar's options that record SOURCE_DATE_EPOCH as every member's time (none without it).</summary>
    public static IReadOnlyList<string> TarTime(long? sourceDateEpoch) =>
        sourceDateEpoch is { } epoch ? [$"--mtime=@{epoch.ToString(CultureInfo.InvariantCulture)}"] : [];

    /// <summary>metadata.json of a vagrant-libvirt box: virtual_size is in GB (GiB), rounded up.</summary>
    public static string Metadata(long virtualSizeGigabytes) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["provider"] = "libvirt", ["format"] = "qcow2", ["virtual_size"] = virtualSizeGigabytes }) + "\n";

    /// <summary>The box's Vagrantfile: the defaults a user's own Vagrantfile can override.</summary>
    public static string Vagrantfile(VirtualHardware hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var loader = hardware.Firmware == "efi"
            ? """

                  # The image boots with UEFI only: the OVMF firmware of Debian's and Ubuntu's ovmf package.
                  libvirt.loader = "/usr/share/OVMF/OVMF_CODE_4M.fd"
              """
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"""
            # The defaults of this box, written by DiskImageBuilder.Sdk (VirtualMachineCpus, VirtualMachineMemory).
            Vagrant.configure("2") do |config|
              config.vm.provider :libvirt do |libvirt|
                libvirt.driver = "kvm"
                libvirt.cpus = {hardware.Cpus}
                libvirt.memory = {hardware.MemoryMiB}{loader}
              end
            end

            """);
    }
}
