using DiskImageBuilder.IO;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The ipxe output (NAME.ipxe): the iPXE script that boots the image live over the network, NAME.kernel with
/// NAME.initramfs (the build writes both beside it). The names are relative, so iPXE fetches them from wherever it
/// fetched the script: a TFTP or HTTP server that serves the build's output folder is the whole PXE setup, with a
/// DHCP server that hands iPXE the script's name (QEMU's and most cloud and bare-metal firmware is iPXE, or
/// chain-loads it from Debian's ipxe package).
/// </summary>
public static class IpxeScriptWriter
{
    public static Task WriteAsync(string outputPath, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(outputPath);
        // initrd= on the kernel line lets the EFI stub of a kernel booted by iPXE's EFI build find the initramfs.
        var script = $"""
            #!ipxe
            # Written by DiskImageBuilder.Sdk: boots {name} live, from RAM, over the network.
            kernel {name}.kernel initrd={name}.initramfs {LiveBootFiles.KernelArguments}
            initrd {name}.initramfs
            boot

            """;
        return AtomicFile.WriteAllTextAsync(outputPath, script, cancellationToken);
    }
}
