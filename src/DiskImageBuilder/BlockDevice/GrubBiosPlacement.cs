using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places BIOS GRUB on a disk file without grub-install (which needs a block device): the boot code
/// of GRUB's boot.img goes into sector 0 before the partition table, and the core image that the
/// image's own grub-mkimage built goes into the gap between sector 1 and the first partition.
/// boot.img already points at sector 1, and grub-mkimage -O i386-pc writes the block list of a core
/// image that starts there, so no patching is needed.
/// </summary>
public static class GrubBiosPlacement
{
    /// <summary>Bytes of boot.img that hold code; the disk signature and partition table follow.</summary>
    private const int BootCodeBytes = 440;
    private const int SectorSize = 512;

    /// <summary>Where the bootloader element leaves its files inside the tree.</summary>
    public const string BootImageInTree = "usr/lib/grub/i386-pc/boot.img";
    public const string CoreImageInTree = "boot/grub/i386-pc/core.img";

    public static void Place(string diskPath, string tree, long firstPartitionStartBytes)
    {
        // Read from the host into the disk: a link in the tree could pull in any host file.
        TreePaths.CheckFile(tree, BootImageInTree, "reads");
        TreePaths.CheckFile(tree, CoreImageInTree, "reads");
        var bootImage = Path.Combine(tree, BootImageInTree);
        var coreImage = Path.Combine(tree, CoreImageInTree);
        if (!File.Exists(bootImage) || !File.Exists(coreImage))
            throw new DibException(ErrorCodes.BootloaderMissing,
                $"The tree has no BIOS GRUB images ({BootImageInTree} and {CoreImageInTree}). " +
                "Add the 'bootloader' element (the 'vm' element pulls it in), or drop 'vm' for an image that is not booted.");

        var boot = File.ReadAllBytes(bootImage);
        var core = File.ReadAllBytes(coreImage);
        var gap = firstPartitionStartBytes - SectorSize;
        if (core.Length > gap)
            throw new DibException(ErrorCodes.BootloaderMissing,
                $"GRUB's core image ({core.Length} bytes) does not fit in the {gap} bytes before the first partition.");

        using var disk = new FileStream(diskPath, FileMode.Open, FileAccess.Write);
        disk.Write(boot, 0, BootCodeBytes);
        disk.Position = SectorSize;
        disk.Write(core);
    }
}
