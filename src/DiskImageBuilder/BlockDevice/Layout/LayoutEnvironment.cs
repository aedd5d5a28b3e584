using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// What element scripts learn about the layout before the disk exists, as diskimage-builder exports it
/// (DIB_ROOT_LABEL, DIB_ROOT_FSTYPE, DIB_BOOT_LABEL, DIB_MOUNTPOINTS), plus what the bootloader element needs to
/// build GRUB for this layout: where GRUB's files are on the filesystem that holds /boot, and whether an EFI
/// system partition is mounted (DIB_UEFI_MOUNT), so that the UEFI loader is built too.
/// </summary>
public static class LayoutEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(BlockDeviceConfig config, RootFilesystemSettings root)
    {
        ArgumentNullException.ThrowIfNull(config);
        var mounts = config.NodesOf<MountNode>().Where(m => m.MountPoint != MountNode.NoMountPoint).ToList();
        (FilesystemType Type, string? Label) FilesystemOf(MountNode? mount)
        {
            if (mount is null || config.Find(mount.Base) is not MkfsNode mkfs)
                return (root.Type, root.Label);
            var type = mkfs.Type ?? root.Type;
            return (type, mkfs.IsRoot && mkfs.Label is null ? root.Label : mkfs.EffectiveLabel);
        }

        var rootMount = mounts.FirstOrDefault(m => m.MountPoint == "/");
        var bootMount = mounts.FirstOrDefault(m => m.MountPoint == "/boot");
        var (rootType, rootLabel) = FilesystemOf(rootMount);
        var (_, bootLabel) = FilesystemOf(bootMount ?? rootMount);
        var esp = mounts.FirstOrDefault(m => config.Find(m.Base) is MkfsNode { Type: FilesystemType.Vfat } mkfs
            && config.Find(mkfs.Base) is PartitionNode partition && IsEsp(partition));
        var table = config.NodesOf<PartitioningNode>().FirstOrDefault();
        var biosBoot = table is null ? "none"
            : table.Label == PartitionTableLabel.Mbr ? "gap"
            : table.Partitions.Any(p => p.Type.GptType == GptPartitionType.BiosBoot) ? "partition" : "none";

        return
        [
            new("DIB_ROOT_LABEL", rootLabel ?? ""),
            new("DIB_ROOT_FSTYPE", rootType.Name()),
            new("DIB_BOOT_LABEL", bootLabel ?? ""),
            new("DIB_MOUNTPOINTS", string.Join(' ', mounts.Select(m => m.MountPoint).Order(StringComparer.Ordinal))),
            new("DIB_GRUB_PREFIX", bootMount is null ? "/boot/grub" : "/grub"),
            new("DIB_PARTITION_TABLE", table is null ? "none" : table.Label == PartitionTableLabel.Mbr ? "mbr" : "gpt"),
            new("DIB_BIOS_BOOT", biosBoot),
            new("DIB_UEFI_MOUNT", esp?.MountPoint ?? ""),
            new("DIB_BOOTLOADER_UEFI", esp is null ? "no" : "yes"),
        ];
    }

    private static bool IsEsp(PartitionNode partition) =>
        partition.Type.Table == PartitionTableLabel.Gpt ? partition.Type.GptType == GptPartitionType.EfiSystem : partition.Type.MbrType == 0xEF;
}
