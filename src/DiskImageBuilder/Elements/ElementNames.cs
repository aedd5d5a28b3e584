namespace DiskImageBuilder.Elements;

/// <summary>
/// Element and virtual names that the SDK itself acts on; every other name means something only to elements.
/// </summary>
public static class ElementNames
{
    /// <summary>Added to every build unless skipped, as DIB does without <c>-n</c>.</summary>
    public const string Base = "base";

    /// <summary>The virtual name a distribution element provides; a build needs exactly one.</summary>
    public const string OperatingSystem = "operating-system";

    /// <summary>The virtual name a partition-layout element such as <see cref="BlockDeviceMbr"/> provides.</summary>
    public const string BlockDevice = "block-device";

    /// <summary>The element that makes a bootable disk image; it needs a block-device provider.</summary>
    public const string Vm = "vm";

    /// <summary>Builds GRUB for the image; a layout it boots from must suit the architecture.</summary>
    public const string Bootloader = "bootloader";

    /// <summary>The block-device element used when a <see cref="Vm"/> build names none.</summary>
    public const string BlockDeviceMbr = "block-device-mbr";

    /// <summary>In the element set, no disk is made: the formats made from the tree (tar, squashfs, oci...) are still written.</summary>
    public const string NoFinalImage = "no-final-image";
    /// <summary>
    /// The virtual name of an element that installs a kernel (the SDK's operating-system elements); the formats that
    /// boot the image's kernel (kernel, initrd, initramfs, iso, ipxe) need one.
    /// </summary>
    public const string Kernel = "kernel";

    /// <summary>Writes the image's kernel and initrd beside it (formats kernel and initrd).</summary>
    public const string Baremetal = "baremetal";

    /// <summary>Writes the kernel and the whole tree as an initramfs (NAME.kernel, NAME.initramfs); no disk unless <see cref="Vm"/> is there too.</summary>
    public const string Ramdisk = "ramdisk";
}
