using System.Globalization;
using DiskImageBuilder.BlockDevice;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Places BIOS GRUB on the disk file: boot.img's code in sector 0 and the core image that the
/// bootloader element built inside the tree in the gap before the first partition.
/// </summary>
public sealed class InstallBootloader : DibTask
{
    [Required]
    public string DiskPath { get; set; } = "";

    [Required]
    public string TreeDirectory { get; set; } = "";

    /// <summary>The first partition's start sector: the core image must end before it.</summary>
    [Required]
    public string FirstPartitionStartSector { get; set; } = "";

    protected override Task ExecuteCoreAsync(Diagnostics.IBuildLog log)
    {
        var start = long.Parse(FirstPartitionStartSector, CultureInfo.InvariantCulture) * MbrLayout.SectorSize;
        GrubBiosPlacement.Place(DiskPath, TreeDirectory, start);
        log.Detail("BIOS GRUB placed in sector 0 and the post-MBR gap");
        return Task.CompletedTask;
    }
}
