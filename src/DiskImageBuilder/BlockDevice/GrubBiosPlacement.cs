using System.Buffers.Binary;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Places BIOS GRUB on a disk file without grub-install (which needs a block device): the boot code of GRUB's
/// boot.img goes into sector 0 before the partition table, and the core image that the image's own grub-mkimage
/// built goes into the gap after the MBR, or into the GPT's BIOS boot partition (type EF02). boot.img holds the
/// sector where the core image starts, and the core image's first sector (diskboot) holds where the rest of it
/// starts; grub-mkimage writes both for a core image at sector 1, so for a BIOS boot partition both are moved to
/// the partition, as grub-install does.
/// </summary>
public static class GrubBiosPlacement
{
    /// <summary>Bytes of boot.img that hold code; the disk signature and partition table follow.</summary>
    private const int BootCodeBytes = 440;
    private const int SectorSize = 512;

    /// <summary>boot.img: the 64-bit LBA of the core image's first sector (GRUB's KERNEL_SECTOR).</summary>
    private const int BootKernelSectorOffset = 0x5c;

    /// <summary>diskboot, the core image's first sector: the first block list entry's 64-bit start LBA.</summary>
    private const int DiskbootBlocklistStartOffset = SectorSize - 12;

    /// <summary>Where the bootloader element leaves its files inside the tree.</summary>
    public const string BootImageInTree = "usr/lib/grub/i386-pc/boot.img";
    public const string CoreImageInTree = "boot/grub/i386-pc/core.img";

    /// <summary>Places GRUB for the plan's table; returns where the core image went, or null when the layout has no place for it.</summary>
    public static string? Place(string diskPath, string tree, DiskPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        long coreSector;
        long room;
        string where;
        if (plan.Table == DiskPlan.Mbr)
        {
            coreSector = 1;
            room = (plan.FirstPartitionSector - 1) * SectorSize;
            where = "the gap after the MBR";
        }
        else if (plan.BiosBootPartition is { } bsp)
        {
            coreSector = bsp.StartSector;
            room = bsp.SizeBytes;
            where = $"BIOS boot partition '{bsp.Name}'";
        }
        else
        {
            return null;
        }

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
        if (core.Length > room)
            throw new DibException(ErrorCodes.BootloaderMissing,
                $"GRUB's core image ({core.Length} bytes) does not fit in the {room} bytes of {where}. Make the first partition start later (align) or the BIOS boot partition larger.");
        if (boot.Length < BootCodeBytes || core.Length < SectorSize)
            throw new DibException(ErrorCodes.BootloaderMissing, $"GRUB's boot.img ({boot.Length} bytes) or core.img ({core.Length} bytes) in the tree is truncated.");

        BinaryPrimitives.WriteUInt64LittleEndian(boot.AsSpan(BootKernelSectorOffset), (ulong)coreSector);
        BinaryPrimitives.WriteUInt64LittleEndian(core.AsSpan(DiskbootBlocklistStartOffset), (ulong)coreSector + 1);
        using var disk = new FileStream(diskPath, FileMode.Open, FileAccess.Write);
        disk.Write(boot, 0, BootCodeBytes);
        disk.Position = coreSector * SectorSize;
        disk.Write(core);
        return where;
    }
}
