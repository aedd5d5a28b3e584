using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Outputs;

/// <summary>The ImageFormats property: which output files a build writes.</summary>
public static class ImageFormatList
{
    /// <summary>Every format the SDK writes, in the order they are built.</summary>
    public static readonly IReadOnlyList<ImageFormat> All =
    [
        new("raw", ".raw", FromDisk: true, null, null),
        new("qcow2", ".qcow2", FromDisk: true, "qemu-img", "qemu-utils"),
        new("vhd", ".vhd", FromDisk: true, "qemu-img", "qemu-utils"),
        new("vhdx", ".vhdx", FromDisk: true, "qemu-img", "qemu-utils"),
        new("vmdk", ".vmdk", FromDisk: true, null, null), // the SDK's own writer
        new("vdi", ".vdi", FromDisk: true, "qemu-img", "qemu-utils"),
        // VMware's appliance: OVF descriptor, manifest and streamOptimized disk in one tar (VirtualMachine* properties).
        new("ova", ".ova", FromDisk: true, null, null),
        // Google Compute Engine's import: disk.raw in a gzip'd GNU tar.
        new("gce", ".gce.tar.gz", FromDisk: true, "tar", "tar", [new("gzip", "gzip", "writing the gce output")]),
        // A Vagrant box for the libvirt provider: box.img (qcow2), metadata.json, Vagrantfile.
        new("vagrant-libvirt", ".vagrant-libvirt.box", FromDisk: true, "qemu-img", "qemu-utils",
            [new("tar", "tar", "writing the vagrant-libvirt output"), new("gzip", "gzip", "writing the vagrant-libvirt output")]),
        // Tree formats read file capabilities with getfattr (attr) so ping and friends keep them.
        new("tar", ".tar", FromDisk: false, "getfattr", "attr"),
        new("tgz", ".tgz", FromDisk: false, "getfattr", "attr"),
        new("squashfs", ".squashfs", FromDisk: false, "mksquashfs", "squashfs-tools"),
        new("oci", ".oci.tar", FromDisk: false, "getfattr", "attr"),
        new("docker", ".docker.tar", FromDisk: false, "getfattr", "attr"),
        // The image's own kernel and initrd (diskimage-builder's baremetal element), copied from the tree's /boot.
        new("kernel", ".vmlinuz", FromDisk: false, null, null),
        new("initrd", ".initrd", FromDisk: false, null, null),
        // The whole tree as the initramfs of a machine that runs from RAM (the ramdisk element), zstd-compressed.
        new("initramfs", ".initramfs", FromDisk: false, "zstd", "zstd"),
        // The same kernel and initramfs on a hybrid ISO that GRUB boots with BIOS and UEFI, from a CD or a disk.
        new("iso", ".iso", FromDisk: false, "zstd", "zstd", IsoWriter.Tools),
        // An iPXE script that boots NAME.kernel and NAME.initramfs (added with it) over the network.
        new("ipxe", ".ipxe", FromDisk: false, null, null),
    ];

    /// <summary>The names, for messages and docs.</summary>
    public static IReadOnlyList<string> Supported { get; } = [.. All.Select(f => f.Name)];

    /// <summary>Splits and validates; DIB1003 names the bad value and lists the valid ones.</summary>
    public static IReadOnlyList<ImageFormat> Parse(string value)
    {
        var names = value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.ToLowerInvariant()).Distinct().ToList();
        var unknown = names.Where(f => !Supported.Contains(f)).ToList();
        if (names.Count == 0 || unknown.Count > 0)
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"ImageFormats '{value}' names {(unknown.Count > 0 ? "unknown format(s) " + string.Join(", ", unknown) : "no format")}. " +
                $"Valid formats: {string.Join(", ", Supported)}.");
        return [.. All.Where(f => names.Contains(f.Name))];
    }
}
