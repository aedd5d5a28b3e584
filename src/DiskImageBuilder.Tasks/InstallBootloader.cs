using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Layout;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Places BIOS GRUB on the disk file: boot.img's code in sector 0 and the core image that the bootloader element
/// built inside the tree in the MBR gap or the BIOS boot partition. UEFI GRUB needs no placing: the bootloader
/// element writes it onto the EFI system partition's directory in the tree, which MakeFilesystems copied.
/// </summary>
public sealed class InstallBootloader : DibTask
{
    [Required]
    public string DiskPath { get; set; } = "";

    [Required]
    public string TreeDirectory { get; set; } = "";

    [Required]
    public string LayoutRecord { get; set; } = "";

    protected override Task ExecuteCoreAsync(Diagnostics.IBuildLog log)
    {
        var plan = DiskPlan.Load(LayoutRecord);
        var where = GrubBiosPlacement.Place(DiskPath, TreeDirectory, plan);
        log.Detail(where is null
            ? "BIOS GRUB not placed: the layout has no MBR and no BIOS boot partition (EF02)"
            : $"BIOS GRUB placed in sector 0 and {where}");
        return Task.CompletedTask;
    }
}
