namespace DiskImageBuilder.Host;

/// <summary>The firmware kinds an architecture's machines start a boot loader with.</summary>
[Flags]
public enum BootFirmware
{
    None = 0,

    /// <summary>PC BIOS: boot code in sector 0, GRUB's core image in the MBR gap or a BIOS boot partition.</summary>
    Bios = 1,

    /// <summary>UEFI: a loader on the EFI system partition.</summary>
    Uefi = 2,

    /// <summary>Open Firmware (IEEE 1275): a boot loader ELF in a PReP partition.</summary>
    OpenFirmware = 4,
}
