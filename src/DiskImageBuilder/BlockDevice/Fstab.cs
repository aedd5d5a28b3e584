using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.BlockDevice;

/// <summary>Writes the tree's /etc/fstab from the layout's fstab nodes (see Layout.DiskPlan.Fstab).</summary>
public static class Fstab
{
    public static void Write(string tree, IReadOnlyList<string> lines)
    {
        // Written from the host: a link a chroot script left at /etc or /etc/fstab must not be followed.
        TreePaths.CheckFile(tree, "etc/fstab", "writes");
        var etc = Path.Combine(tree, "etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "fstab"),
            "# Written by DiskImageBuilder.Sdk from the block-device layout.\n" + string.Concat(lines.Select(l => l + "\n")));
    }
}
