namespace DiskImageBuilder.Host;

/// <summary>How <see cref="BootFirmware"/> values are written for element scripts and messages.</summary>
public static class BootFirmwareNames
{
    /// <summary>The kinds as lower-case words separated by spaces: "bios uefi", "uefi", "ieee1275".</summary>
    public static string Words(this BootFirmware firmware) => string.Join(' ',
        new[] { (BootFirmware.Bios, "bios"), (BootFirmware.Uefi, "uefi"), (BootFirmware.OpenFirmware, "ieee1275") }
            .Where(kind => firmware.HasFlag(kind.Item1)).Select(kind => kind.Item2));
}
