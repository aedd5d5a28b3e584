using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Places BIOS GRUB on the disk file (<see cref="DiskBuilder.PlaceBootloader"/>). UEFI GRUB needs no placing: the
/// bootloader element writes it onto the EFI system partition's folder of the tree, which MakeFilesystems copied.
/// </summary>
public sealed class InstallBootloader : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        new DiskBuilder(Plan, log).PlaceBootloader();
        return Task.CompletedTask;
    }
}
