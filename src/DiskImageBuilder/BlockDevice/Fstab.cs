using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>Writes the tree's /etc/fstab for the layout, naming filesystems by label as diskimage-builder does.</summary>
public static class Fstab
{
    public static void WriteRoot(string tree, string rootLabel, string fsType)
    {
        // Written from the host: a link a chroot script left at /etc or /etc/fstab must not be followed.
        TreePaths.CheckFile(tree, "etc/fstab", "writes");
        var etc = Path.Combine(tree, "etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "fstab"),
            "# Written by DiskImageBuilder.Sdk from the block-device layout.\n" +
            $"LABEL={rootLabel} / {fsType} defaults,errors=remount-ro 0 1\n");
    }
}
