using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// The build's settings for the root filesystem (diskimage-builder's FS_TYPE, --root-label and root UUID), which the
/// node <c>mkfs_root</c> takes where the YAML does not say.
/// </summary>
/// <param name="Type">The RootFilesystemType property (ext4 by default).</param>
/// <param name="Label">The RootLabel property (cloudimg-rootfs by default).</param>
/// <param name="Uuid">The RootFilesystemUuid property, or null for a random one.</param>
/// <param name="JournalBytes">
/// The ImageJournalSize property (diskimage-builder's DIB_JOURNAL_SIZE): the ext3/ext4 root's journal, or null to let
/// mke2fs choose for the filesystem's size (the computed size still allows 64 MiB).
/// </param>
public sealed record RootFilesystemSettings(FilesystemType Type, string Label, string? Uuid, long? JournalBytes = null);
