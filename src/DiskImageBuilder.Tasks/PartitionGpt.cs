using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Writes the GUID partition table of a GPT layout with the SDK's own writer (<see cref="DiskBuilder.WriteGpt"/>; no
/// sgdisk): protective MBR, primary and backup headers and entry arrays with their CRC32s, type GUIDs, names, the
/// legacy-BIOS-bootable attribute, the disk GUID (DiskGuid, or random).
/// </summary>
public sealed class PartitionGpt : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        new DiskBuilder(Plan, log).WriteGpt();
        return Task.CompletedTask;
    }
}
