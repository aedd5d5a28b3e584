using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// The partition type GUIDs of a GPT, and the four-digit sgdisk codes that diskimage-builder layouts use for them
/// (<c>type: 'EF00'</c>). Owns the translation from what a layout says to the GUID written in the entry.
/// Layouts may also give a type GUID directly, for types that have no code here.
/// </summary>
public static class GptPartitionType
{
    /// <summary>8300: a Linux filesystem of any kind (Linux and freedesktop.org's discoverable partitions spec).</summary>
    public static readonly Guid LinuxFilesystem = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");

    /// <summary>EF00: the EFI system partition, a FAT filesystem that UEFI firmware loads boot loaders from (UEFI spec table 5-7).</summary>
    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");

    /// <summary>EF02: the raw partition that BIOS GRUB puts its core image in, since a GPT disk has no gap after sector 0 to spare.</summary>
    public static readonly Guid BiosBoot = new("21686148-6449-6E6F-744E-656564454649");

    /// <summary>8E00: an LVM physical volume.</summary>
    public static readonly Guid LinuxLvm = new("E6D6D379-F507-44C2-A23C-238F2A3DF928");

    /// <summary>8200: Linux swap.</summary>
    public static readonly Guid LinuxSwap = new("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F");

    /// <summary>0700: Microsoft basic data, the type of FAT and NTFS data partitions.</summary>
    public static readonly Guid MicrosoftBasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");

    /// <summary>FD00: a Linux software RAID (md) member.</summary>
    public static readonly Guid LinuxRaid = new("A19D880F-05FC-4D3B-A006-743F0F84911E");

    /// <summary>8304: the root filesystem of an x86-64 Linux, which systemd finds and mounts without an fstab entry.</summary>
    public static readonly Guid LinuxRootX64 = new("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709");

    /// <summary>8305: the root filesystem of an ARM64 (AArch64) Linux, found by systemd like 8304.</summary>
    public static readonly Guid LinuxRootArm64 = new("B921B045-1DF0-41C3-AF44-4C6F280D3FAE");

    /// <summary>
    /// The codes this SDK knows, in the order error messages list them. Declared after the GUIDs above, since static
    /// fields are initialised in the order they are written.
    /// </summary>
    private static readonly (string Code, string Description, Guid Guid)[] Known =
    [
        ("8300", "Linux filesystem", LinuxFilesystem),
        ("EF00", "EFI system", EfiSystem),
        ("EF02", "BIOS boot", BiosBoot),
        ("8E00", "Linux LVM", LinuxLvm),
        ("8200", "Linux swap", LinuxSwap),
        ("0700", "Microsoft basic data", MicrosoftBasicData),
        ("FD00", "Linux RAID", LinuxRaid),
        ("8304", "Linux x86-64 root", LinuxRootX64),
        ("8305", "Linux ARM64 root", LinuxRootArm64),
    ];

    /// <summary>Every known sgdisk code (upper case) and its type GUID. Lookups ignore case, as sgdisk does.</summary>
    public static IReadOnlyDictionary<string, Guid> KnownCodes { get; } =
        Known.ToDictionary(k => k.Code, k => k.Guid, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The type GUID for <paramref name="codeOrGuid"/>: a known sgdisk code such as <c>8300</c> or <c>ef00</c>,
    /// or a GUID such as <c>0FC63DAF-8483-4772-8E79-3D69D8477DE4</c>.
    /// </summary>
    /// <exception cref="DibException">
    /// DIB3001 when the value is neither a known code nor a GUID, or is the all-zero GUID, which marks an unused entry.
    /// </exception>
    public static Guid Parse(string codeOrGuid) => Resolve(codeOrGuid, subject: null);

    /// <summary>As <see cref="Parse"/>, but returns false instead of throwing.</summary>
    public static bool TryParse(string? codeOrGuid, out Guid typeGuid)
    {
        if (codeOrGuid is not null
            && (KnownCodes.TryGetValue(codeOrGuid, out typeGuid) || Guid.TryParse(codeOrGuid, out typeGuid))
            && typeGuid != Guid.Empty)
        {
            return true;
        }

        typeGuid = Guid.Empty;
        return false;
    }

    /// <summary>
    /// Parses a layout's type; <paramref name="subject"/> (e.g. <c>Partition 2 'ESP'</c>) starts the error message
    /// so that the user can find the partition.
    /// </summary>
    internal static Guid Resolve(string codeOrGuid, string? subject)
    {
        ArgumentNullException.ThrowIfNull(codeOrGuid);
        if (TryParse(codeOrGuid, out var typeGuid))
        {
            return typeGuid;
        }

        string prefix = subject is null ? "The GPT partition type" : $"{subject} has type";
        if (Guid.TryParse(codeOrGuid, out var parsed) && parsed == Guid.Empty)
        {
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{prefix} '{codeOrGuid}', the all-zero GUID, which a GPT reserves for unused entries, so tools would not see the partition. " +
                $"Use one of the codes {DescribeKnownCodes()}, or the type GUID of the partition's real type.");
        }

        throw new DibException(ErrorCodes.UnsupportedLayout,
            $"{prefix} '{codeOrGuid}', which is neither a GPT type code this SDK knows nor a GUID. " +
            $"Use one of the codes {DescribeKnownCodes()}, or give the type GUID itself, e.g. '{LinuxFilesystem:D}'.");
    }

    /// <summary>The known codes for error messages, e.g. <c>8300 (Linux filesystem), EF00 (EFI system), ...</c>.</summary>
    internal static string DescribeKnownCodes() => string.Join(", ", Known.Select(k => $"{k.Code} ({k.Description})"));
}
