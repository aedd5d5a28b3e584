using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places GRUB for Open Firmware (POWER) on a disk file: Open Firmware (SLOF on QEMU's pseries machine, and
/// PowerVM) loads the ELF image at the start of the PReP boot partition, so the core image that the image's own
/// grub-mkimage built for powerpc-ieee1275 is copied there, as grub-install does for a PReP partition, and the
/// rest of the partition is zeroed so that no stale ELF is found.
/// </summary>
public static class GrubPrepPlacement
{
    /// <summary>Where the bootloader element leaves the core image inside the tree.</summary>
    public const string CoreImageInTree = "boot/grub/powerpc-ieee1275/core.elf";

    /// <summary>Copies the core image into the PReP partition; returns the partition's name, or null when the layout has none.</summary>
    public static string? Place(string diskPath, string tree, DiskPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var prep = plan.Partitions.FirstOrDefault(p => plan.Table == DiskPlan.Mbr ? p.MbrType == LayoutFirmware.PrepMbrType : p.GptType == LayoutFirmware.PrepGptType);
        if (prep is null)
            return null;

        // Read from the host into the disk: a link in the tree could pull in any host file.
        TreePaths.CheckFile(tree, CoreImageInTree, "reads");
        var coreImage = Path.Combine(tree, CoreImageInTree);
        if (!File.Exists(coreImage))
            throw new DibException(ErrorCodes.BootloaderMissing,
                $"The tree has no Open Firmware GRUB image ({CoreImageInTree}) for the PReP partition '{prep.Name}'. " +
                "Add the 'bootloader' element (the 'vm' element pulls it in), or drop 'vm' for an image that is not booted.");
        var core = File.ReadAllBytes(coreImage);
        if (core.Length > prep.SizeBytes)
            throw new DibException(ErrorCodes.BootloaderMissing,
                $"GRUB's core image ({core.Length} bytes) does not fit in the {prep.SizeBytes} bytes of the PReP partition '{prep.Name}'. Make the partition larger.");

        using var disk = new FileStream(diskPath, FileMode.Open, FileAccess.Write);
        disk.Position = prep.OffsetBytes;
        disk.Write(core);
        disk.Write(new byte[prep.SizeBytes - core.Length]);
        return $"PReP partition '{prep.Name}'";
    }
}
