using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice;

/// <summary>Writes the tree's /etc/fstab from the layout's fstab nodes (see Layout.DiskPlan.Fstab).</summary>
public static class Fstab
{
    public static void Write(string tree, IReadOnlyList<string> lines)
    {
        var etc = Path.Combine(tree, "etc");
        var fstab = Path.Combine(etc, "fstab");
        // A symlink planted in the tree must not send the write out of it.
        if (new DirectoryInfo(etc).LinkTarget is not null)
            throw new DibException(ErrorCodes.FilesystemFailed,
                $"{etc} is a symlink; /etc/fstab is not written through it. Make /etc a directory in the image.", etc);
        if (new FileInfo(fstab).LinkTarget is not null)
            File.Delete(fstab);
        Directory.CreateDirectory(etc);
        File.WriteAllText(fstab,
            "# Written by DiskImageBuilder.Sdk from the block-device layout.\n" + string.Concat(lines.Select(l => l + "\n")));
    }
}
