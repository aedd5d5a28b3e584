using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// What this version builds of a checked configuration, decided before anything is written: one image, image0, with
/// at most one partition table on it, 512-byte sectors, and filesystems on partitions or on image0. LVM needs loop
/// devices and the kernel's device-mapper; a configuration with lvm nodes stops here, saying which is missing.
/// </summary>
public static class LayoutSupport
{
    /// <summary>The device-mapper control node, present when the kernel has device-mapper.</summary>
    public const string DeviceMapperControl = "/dev/mapper/control";

    /// <exception cref="DibException">DIB3021 for LVM, DIB3001 for other unsupported shapes, DIB3016 for a root label too long for the root type.</exception>
    public static void Check(BlockDeviceConfig config, RootFilesystemSettings root, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        exists ??= File.Exists;
        var source = config.SourceName;
        if (config.NodesOf<LvmNode>().FirstOrDefault() is { } lvm)
        {
            var missing = new List<string>();
            if (!exists(DeviceMapperControl))
                missing.Add($"the kernel's device-mapper ({DeviceMapperControl} does not exist)");
            if (!exists("/usr/sbin/lvm") && !exists("/sbin/lvm"))
                missing.Add("the lvm2 package (lvm)");
            throw BlockDeviceConfigErrors.At(ErrorCodes.LvmNotAvailable, source, lvm,
                (missing.Count > 0
                    ? $"LVM needs loop devices and device-mapper, and this host lacks {string.Join(" and ", missing)}. "
                    : "LVM volumes are made with loop devices and device-mapper, which this version of the SDK does not drive yet. ")
                + "Nothing was written. Use a layout without lvm nodes (block-device-gpt or block-device-efi), with one filesystem per partition.");
        }

        foreach (var image in config.NodesOf<LocalLoopNode>())
        {
            if (image.Name != LocalLoopNode.OutputImageName)
                throw BlockDeviceConfigErrors.At(ErrorCodes.UnsupportedLayout, source, image,
                    $"only one image, '{LocalLoopNode.OutputImageName}', is built; a second image file is not supported. Put its partitions on '{LocalLoopNode.OutputImageName}'.");
            if (image.BlockSize is { } blockSize && blockSize != 512)
                throw BlockDeviceConfigErrors.At(ErrorCodes.UnsupportedLayout, source, image,
                    $"block_size {blockSize} is not supported; the partition writers use 512-byte sectors. Remove block_size.");
        }

        if (config.NodesOf<LocalLoopNode>().FirstOrDefault() is null)
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"{source} has no local_loop node: add `- local_loop: {{name: {LocalLoopNode.OutputImageName}}}` for the image to build.");

        var tables = config.NodesOf<PartitioningNode>().ToList();
        if (tables.Count > 1)
            throw BlockDeviceConfigErrors.At(ErrorCodes.UnsupportedLayout, source, tables[1],
                $"only one partition table is built, on '{LocalLoopNode.OutputImageName}'. Merge the partitions into '{tables[0].Name}'.");

        var rootMkfs = config.NodesOf<MkfsNode>().FirstOrDefault(m => m.IsRoot);
        if (rootMkfs is { Label: null })
        {
            var type = rootMkfs.Type ?? root.Type;
            var label = type == FilesystemType.Vfat ? root.Label.ToUpperInvariant() : root.Label;
            if (System.Text.Encoding.UTF8.GetByteCount(label) > type.MaxLabelBytes())
                throw new DibException(ErrorCodes.BlockDeviceLabelTooLong,
                    $"RootLabel '{root.Label}' has {System.Text.Encoding.UTF8.GetByteCount(label)} bytes, but a {type.Name()} label holds at most " +
                    $"{type.MaxLabelBytes()} (root filesystem of {source}). Set a shorter RootLabel.");
        }
    }
}
