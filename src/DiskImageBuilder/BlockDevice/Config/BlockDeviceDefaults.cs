using System.Reflection;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// The layouts this SDK ships, as block-device YAML embedded in the assembly: those of diskimage-builder's
/// block-device-mbr, block-device-gpt and block-device-efi elements, and the filesystem-only layout used when no
/// element supplies one. They are written for this SDK after diskimage-builder's documented layouts; unlike
/// diskimage-builder's GPT and EFI files, none pins the root filesystem to ext4, so the build's root type applies.
/// </summary>
public static class BlockDeviceDefaults
{
    /// <summary>The element name of the MBR layout.</summary>
    public const string Mbr = "block-device-mbr";

    /// <summary>The element name of the GPT (BIOS) layout.</summary>
    public const string Gpt = "block-device-gpt";

    /// <summary>The element name of the EFI (and BIOS) layout.</summary>
    public const string Efi = "block-device-efi";

    /// <summary>block-device-mbr's layout on ppc64el: a PReP boot partition, then the root.</summary>
    public const string MbrPpc64el = "block-device-mbr-ppc64el";

    /// <summary>block-device-gpt's layout on ppc64el.</summary>
    public const string GptPpc64el = "block-device-gpt-ppc64el";

    /// <summary>The layout without a partition table.</summary>
    public const string FilesystemOnly = "filesystem-only";

    /// <summary>Every embedded layout's name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mbr, Gpt, Efi, MbrPpc64el, GptPpc64el, FilesystemOnly];

    /// <summary>The YAML text of the layout called <paramref name="name"/>, one of <see cref="Names"/>.</summary>
    /// <exception cref="ArgumentException">There is no such layout.</exception>
    public static string Text(string name)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"There is no built-in block-device layout '{name}'; there are {string.Join(", ", Names)}.", nameof(name));
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName(name))
            ?? throw new InvalidOperationException($"The resource {ResourceName(name)} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>What errors in a built-in layout name as their source.</summary>
    public static string SourceName(string name) => $"built-in {name}.yaml";

    /// <summary>The built-in layout called <paramref name="name"/>, parsed.</summary>
    public static BlockDeviceConfig Load(string name) => BlockDeviceConfigParser.Parse(Text(name), SourceName(name));

    private static string ResourceName(string name) => $"DiskImageBuilder.BlockDevice.Config.Defaults.{name}.yaml";
}
