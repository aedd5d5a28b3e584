namespace DiskImageBuilder.Host;

/// <summary>
/// Everything the SDK knows about one target architecture, in one table: its names, how its machines boot, the
/// layout a VM image gets by default, GRUB's targets, the kernel console, the OCI platform, the qemu-user
/// emulator that runs its programs on another host, and the QEMU machine and firmware the tests boot it with.
/// Elements never read this table: they read ARCH and the DIB_* variables of <see cref="Environment"/>.
/// </summary>
/// <param name="Name">The Debian (and diskimage-builder) name: amd64, arm64, i386, ppc64el.</param>
/// <param name="UnameMachine">What <c>uname -m</c> prints on it, and the name RPM distributions use.</param>
/// <param name="Firmware">How its machines start a boot loader.</param>
/// <param name="DefaultLayout">The layout element a <c>vm</c> image gets when no element provides one.</param>
/// <param name="Console">The kernel's serial console, as <c>console=</c> takes it.</param>
/// <param name="GrubBiosTarget">GRUB's BIOS target (a core image in the MBR gap or a BIOS boot partition), or null.</param>
/// <param name="GrubEfiTarget">GRUB's UEFI target, or null.</param>
/// <param name="EfiBootName">The UEFI removable-media loader's name suffix: BOOT{X64}.EFI; null without UEFI.</param>
/// <param name="GrubIeee1275Target">GRUB's Open Firmware target (a core ELF in a PReP partition), or null.</param>
/// <param name="OciArchitecture">The OCI platform's architecture (Go's GOARCH).</param>
/// <param name="OciVariant">The OCI platform's variant, or null.</param>
/// <param name="BinfmtName">The binfmt_misc entry that runs its programs under qemu-user on another host.</param>
/// <param name="QemuSystem">The QEMU system emulator that boots it.</param>
/// <param name="QemuMachine">The QEMU machine arguments the tests boot it with.</param>
/// <param name="UefiCode">The UEFI firmware the tests boot it with (Debian's ovmf, qemu-efi-aarch64), or null.</param>
/// <param name="UefiVars">The template of that firmware's variable store, or null.</param>
public sealed record ArchitectureProfile(
    string Name,
    string UnameMachine,
    BootFirmware Firmware,
    string DefaultLayout,
    string Console,
    string? GrubBiosTarget,
    string? GrubEfiTarget,
    string? EfiBootName,
    string? GrubIeee1275Target,
    string OciArchitecture,
    string? OciVariant,
    string BinfmtName,
    string QemuSystem,
    IReadOnlyList<string> QemuMachine,
    string? UefiCode = null,
    string? UefiVars = null)
{
    public static ArchitectureProfile Amd64 { get; } = new("amd64", "x86_64", BootFirmware.Bios | BootFirmware.Uefi, "block-device-mbr",
        "ttyS0,115200", "i386-pc", "x86_64-efi", "X64", null, "amd64", null, "qemu-x86_64", "qemu-system-x86_64", [],
        "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd");

    public static ArchitectureProfile I386 { get; } = new("i386", "i686", BootFirmware.Bios | BootFirmware.Uefi, "block-device-mbr",
        "ttyS0,115200", "i386-pc", "i386-efi", "IA32", null, "386", null, "qemu-i386", "qemu-system-i386", []);

    // Servers and VMs of 64-bit ARM boot with UEFI only (Arm's Server Base Boot Requirements); the virt machine's
    // UART is a PL011, which Linux names ttyAMA0. Cortex-A57 rather than "max": QEMU emulates max's pointer
    // authentication slowly.
    public static ArchitectureProfile Arm64 { get; } = new("arm64", "aarch64", BootFirmware.Uefi, "block-device-efi",
        "ttyAMA0,115200", null, "arm64-efi", "AA64", null, "arm64", "v8", "qemu-aarch64", "qemu-system-aarch64",
        ["-M", "virt", "-cpu", "cortex-a57"], "/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd");

    // POWER boots through Open Firmware (SLOF on pseries), which loads an ELF from a PReP partition; the
    // hypervisor's console is hvc0.
    public static ArchitectureProfile Ppc64el { get; } = new("ppc64el", "ppc64le", BootFirmware.OpenFirmware, "block-device-mbr",
        "hvc0", null, null, null, "powerpc-ieee1275", "ppc64le", null, "qemu-ppc64le", "qemu-system-ppc64",
        ["-M", "pseries"]);

    /// <summary>Every architecture the SDK builds, in the order messages list them.</summary>
    public static IReadOnlyList<ArchitectureProfile> All { get; } = [Amd64, Arm64, I386, Ppc64el];

    /// <summary>The profile of a canonical name (see <see cref="TargetArchitecture.Normalize"/>); DIB1001 for another value.</summary>
    public static ArchitectureProfile For(string name)
    {
        var canonical = TargetArchitecture.Normalize(name);
        return All.First(p => p.Name == canonical);
    }

    /// <summary>
    /// The variables every element script sees for this architecture. The bootloader element builds GRUB from
    /// them; DIB_BOOTLOADER_SERIAL_CONSOLE defaults to DIB_ARCH_CONSOLE.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment =>
    [
        new("DIB_ARCH_CONSOLE", Console),
        new("DIB_ARCH_UNAME", UnameMachine),
        new("DIB_BOOT_FIRMWARE", Firmware.Words()),
        new("DIB_GRUB_BIOS_TARGET", GrubBiosTarget ?? ""),
        new("DIB_GRUB_EFI_TARGET", GrubEfiTarget ?? ""),
        new("DIB_GRUB_EFI_NAME", EfiBootName ?? ""),
        new("DIB_GRUB_IEEE1275_TARGET", GrubIeee1275Target ?? ""),
    ];
}
