using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// Which firmware a layout gives a place to start a boot loader from (an MBR gap or BIOS boot partition for BIOS,
/// an EFI system partition for UEFI, a PReP partition for Open Firmware), and the check that an image built to
/// boot has one its architecture's machines use. Checked before any work.
/// </summary>
public static class LayoutFirmware
{
    /// <summary>The GPT type of a PReP boot partition (sgdisk code 4100); on MBR it is type 0x41.</summary>
    public static readonly Guid PrepGptType = PartitionTypeCode.GptCodes["4100"];

    /// <summary>The MBR type of a PReP boot partition.</summary>
    public const byte PrepMbrType = 0x41;

    /// <summary>The firmware kinds the layout can boot with; <see cref="BootFirmware.None"/> without a partition table.</summary>
    public static BootFirmware Offered(BlockDeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var offered = BootFirmware.None;
        foreach (var table in config.NodesOf<PartitioningNode>())
        {
            if (table.Label == PartitionTableLabel.Mbr || table.Partitions.Any(p => p.Type.GptType == GptPartitionType.BiosBoot))
                offered |= BootFirmware.Bios;
            if (table.Partitions.Any(IsEsp))
                offered |= BootFirmware.Uefi;
            if (table.Partitions.Any(IsPrep))
                offered |= BootFirmware.OpenFirmware;
        }
        return offered;
    }

    /// <summary>
    /// DIB3006 when the layout offers none of the firmware <paramref name="arch"/> boots with: a BIOS-only layout on
    /// arm64, a layout without a PReP partition on ppc64el. The message names the layout element to use.
    /// </summary>
    public static void RequireBootable(BlockDeviceConfig config, ArchitectureProfile arch, string layoutSource)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var offered = Offered(config);
        if ((offered & arch.Firmware) != 0)
            return;
        var needs = arch.Firmware.HasFlag(BootFirmware.Uefi) && !arch.Firmware.HasFlag(BootFirmware.Bios)
            ? "UEFI only, from an EFI system partition (GPT type EF00 with a vfat filesystem)"
            : arch.Firmware == BootFirmware.OpenFirmware
                ? "Open Firmware, from a PReP boot partition (MBR type 0x41 or GPT type 4100)"
                : "BIOS or UEFI, from an MBR, a BIOS boot partition (EF02) or an EFI system partition (EF00)";
        var use = arch.Firmware == BootFirmware.OpenFirmware
            ? $"Use the {arch.DefaultLayout} element (its block-device-{arch.Name}.yaml has the PReP partition) or block-device-gpt"
            : $"Use the {arch.DefaultLayout} element";
        throw new DibException(ErrorCodes.LayoutCannotBoot,
            $"TargetArch '{arch.Name}' boots with {needs}, and the layout from {layoutSource} has " +
            $"{(offered == BootFirmware.None ? "no partition table" : $"only what {offered.Words()} firmware boots from")}. " +
            $"{use} instead, or leave the layout element out: 'vm' picks {arch.DefaultLayout} on {arch.Name}. Nothing was built.");
    }

    private static bool IsEsp(PartitionNode partition) =>
        partition.Type.Table == PartitionTableLabel.Gpt ? partition.Type.GptType == GptPartitionType.EfiSystem : partition.Type.MbrType == 0xEF;

    private static bool IsPrep(PartitionNode partition) =>
        partition.Type.Table == PartitionTableLabel.Gpt ? partition.Type.GptType == PrepGptType : partition.Type.MbrType == PrepMbrType;
}
