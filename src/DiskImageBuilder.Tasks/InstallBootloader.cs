using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Places GRUB on the disk file as the architecture's firmware needs it (<see cref="DiskBuilder.PlaceBootloader"/>):
/// BIOS boot code and core image on PCs, the Open Firmware core image in the PReP partition on POWER. UEFI GRUB
/// needs no placing: the bootloader element writes it onto the EFI system partition's folder of the tree, which
/// MakeFilesystems copied.
/// </summary>
public sealed class InstallBootloader : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        new DiskBuilder(Plan, log).PlaceBootloader();
        return Task.CompletedTask;
    }
}
