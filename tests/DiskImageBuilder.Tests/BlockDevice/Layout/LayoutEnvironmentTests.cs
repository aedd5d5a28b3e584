using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;

namespace DiskImageBuilder.Tests.BlockDevice.Layout;

[TestClass]
public sealed class LayoutEnvironmentTests
{
    private static readonly RootFilesystemSettings Root = new(FilesystemType.Ext4, "cloudimg-rootfs", null);

    private static Dictionary<string, string> For(BlockDeviceConfig config) =>
        LayoutEnvironment.For(config, Root).ToDictionary(v => v.Key, v => v.Value);

    [TestMethod]
    public void MbrBootsFromTheRootFilesystemThroughTheGap()
    {
        var environment = For(BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr));

        Assert.AreEqual("cloudimg-rootfs", environment["DIB_ROOT_LABEL"]);
        Assert.AreEqual("cloudimg-rootfs", environment["DIB_BOOT_LABEL"]);
        Assert.AreEqual("ext4", environment["DIB_ROOT_FSTYPE"]);
        Assert.AreEqual("/boot/grub", environment["DIB_GRUB_PREFIX"]);
        Assert.AreEqual("gap", environment["DIB_BIOS_BOOT"]);
        Assert.AreEqual("no", environment["DIB_BOOTLOADER_UEFI"]);
    }

    [TestMethod]
    public void EfiLayoutAsksForUefiGrubOnTheEsp()
    {
        var environment = For(BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi));

        Assert.AreEqual("yes", environment["DIB_BOOTLOADER_UEFI"]);
        Assert.AreEqual("/boot/efi", environment["DIB_UEFI_MOUNT"]);
        Assert.AreEqual("partition", environment["DIB_BIOS_BOOT"]);
        Assert.AreEqual("/ /boot/efi", environment["DIB_MOUNTPOINTS"]);
    }

    [TestMethod]
    public void ASeparateBootFilesystemMovesGrubsPrefixAndLabel()
    {
        var environment = For(BlockDeviceConfigParser.Parse("""
            - local_loop:
                name: image0
                partitioning:
                  label: gpt
                  partitions:
                    - name: BSP
                      type: EF02
                      size: 8MiB
                    - name: boot
                      size: 300MiB
                      mkfs:
                        type: ext2
                        label: BOOT
                        mount:
                          mount_point: /boot
                    - name: root
                      size: 100%
                      mkfs:
                        name: mkfs_root
                        mount:
                          mount_point: /
            """, "test.yaml"));

        Assert.AreEqual("BOOT", environment["DIB_BOOT_LABEL"]);
        Assert.AreEqual("/grub", environment["DIB_GRUB_PREFIX"]);
        Assert.AreEqual("cloudimg-rootfs", environment["DIB_ROOT_LABEL"]);
    }
}
