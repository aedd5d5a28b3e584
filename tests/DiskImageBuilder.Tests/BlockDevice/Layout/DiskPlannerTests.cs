using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Layout;

[TestClass]
public sealed class DiskPlannerTests
{
    private const long MiB = 1024 * 1024;
    private static readonly RootFilesystemSettings Root = new(FilesystemType.Ext4, "cloudimg-rootfs", null);

    private const string MultiPartition = """
        - local_loop:
            name: image0
        - partitioning:
            base: image0
            label: mbr
            partitions:
              - name: boot
                flags: [boot, primary]
                size: 300MiB
                mkfs:
                  type: ext4
                  label: boot
                  mount:
                    mount_point: /boot
                    fstab:
                      options: defaults
                      fsck-passno: 2
              - name: root
                flags: [primary]
                size: 60%
                mkfs:
                  mount:
                    mount_point: /
                    fstab:
                      options: defaults,errors=remount-ro
                      fsck-passno: 1
              - name: var
                size: 80%
                mkfs:
                  type: xfs
                  label: var
                  mount:
                    mount_point: /var
                    fstab:
                      fsck-passno: 2
              - name: swap
                size: 100%
                mkfs:
                  type: swap
                  label: swap
                  mount:
                    mount_point: none
                    fstab:
                      options: sw
                      fsck-passno: 0
        """;

    private static BlockDeviceConfig Parse(string yaml) => BlockDeviceConfigParser.Parse(yaml, "test.yaml");

    private static Dictionary<string, TreeUsage> Usage(params (string MountPoint, long MiBytes)[] entries) =>
        entries.ToDictionary(e => e.MountPoint, e => new TreeUsage(e.MiBytes * MiB, 10_000));

    [TestMethod]
    public void MbrLayoutPutsTheRootPartitionAtOneMiBAndSizesTheDiskFromTheTree()
    {
        var plan = DiskPlanner.Plan(BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr), Root, Usage(("/", 400)), null, 0);

        Assert.AreEqual(DiskPlan.Mbr, plan.Table);
        var root = plan.Partitions.Single();
        Assert.AreEqual(2048, root.StartSector);
        Assert.IsTrue(root.Bootable);
        Assert.AreEqual((byte)0x83, root.MbrType);
        var fs = plan.Filesystems.Single();
        Assert.AreEqual(FilesystemType.Ext4, fs.Type);
        Assert.AreEqual("cloudimg-rootfs", fs.Label);
        Assert.AreEqual(root.OffsetBytes, fs.OffsetBytes);
        Assert.AreEqual(root.SizeBytes, fs.SizeBytes);
        Assert.IsTrue(fs.SizeBytes >= FilesystemSizing.Compute(FilesystemType.Ext4, new TreeUsage(400 * MiB, 10_000), 0), "the root holds the tree");
        Assert.IsTrue(plan.DiskBytes - fs.SizeBytes <= 2 * MiB, $"the disk is not much larger than its one filesystem: {plan.DiskBytes / MiB} MiB");
        Assert.AreEqual(0, plan.DiskBytes % MiB);
        CollectionAssert.AreEqual(new[] { "LABEL=cloudimg-rootfs / ext4 defaults 0 1" }, plan.Fstab.ToArray());
    }

    [TestMethod]
    public void EfiLayoutHasTheEspTheBiosBootPartitionAndTheRestForRoot()
    {
        var plan = DiskPlanner.Plan(BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi), Root, Usage(("/", 300), ("/boot/efi", 1)), null, 0);

        Assert.AreEqual(DiskPlan.Gpt, plan.Table);
        CollectionAssert.AreEqual(new[] { "ESP", "BSP", "root" }, plan.Partitions.Select(p => p.Name).ToArray());
        Assert.AreEqual(GptPartitionType.EfiSystem, plan.Partitions[0].GptType);
        Assert.AreEqual(550 * MiB, plan.Partitions[0].SizeBytes);
        Assert.AreEqual(plan.Partitions[1], plan.BiosBootPartition);
        Assert.AreEqual(8 * MiB, plan.Partitions[1].SizeBytes);
        Assert.AreEqual(plan.Partitions[1].StartSector + plan.Partitions[1].SectorCount, plan.Partitions[2].StartSector);
        var esp = plan.Filesystems.Single(f => f.MountPoint == "/boot/efi");
        Assert.AreEqual(FilesystemType.Vfat, esp.Type);
        Assert.AreEqual("MKFS_ESP", esp.Label);
        StringAssert.Matches(esp.Uuid, new System.Text.RegularExpressions.Regex("^[0-9A-F]{4}-[0-9A-F]{4}$"));
        Assert.AreEqual(2, plan.Filesystems.Count, "the BIOS boot partition gets no filesystem");
        CollectionAssert.AreEqual(new[] { "LABEL=cloudimg-rootfs / ext4 defaults 0 1", "LABEL=MKFS_ESP /boot/efi vfat defaults 0 2" },
            plan.Fstab.ToArray());
    }

    [TestMethod]
    public void SmallEspAndPartitionNamesWithBlanks_PlanWithTheNamesAsWrittenAndLabelsWithUnderscores()
    {
        // Two GRUB EFI images are about 704 KiB; an 8 MiB ESP holds them (FAT12).
        const string yaml = """
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: E S
                    type: 'EF00'
                    size: 8MiB
                    mkfs: { type: vfat, mount: { mount_point: /boot/efi, fstab: { options: defaults, fsck-passno: 2 } } }
                  - name: Linux root
                    type: '8300'
                    size: 100%
                    mkfs: { type: ext4, mount: { mount_point: /, fstab: { options: defaults, fsck-passno: 1 } } }
            """;
        var usage = new Dictionary<string, TreeUsage> { ["/"] = new(300 * MiB, 10_000), ["/boot/efi"] = new(704 * 1024, 6) };

        var plan = DiskPlanner.Plan(Parse(yaml), Root, usage, null, 0);

        CollectionAssert.AreEqual(new[] { "E S", "Linux root" }, plan.Partitions.Select(p => p.Name).ToArray(), "GPT names as written");
        Assert.AreEqual(8 * MiB, plan.Partitions[0].SizeBytes);
        CollectionAssert.AreEqual(new[] { "LABEL=mkfs_Linux_root / ext4 defaults 0 1", "LABEL=MKFS_E_S /boot/efi vfat defaults 0 2" },
            plan.Fstab.ToArray());
        Assert.AreEqual("mkfs_Linux_root", LayoutEnvironment.For(Parse(yaml), Root).Single(v => v.Key == "DIB_ROOT_LABEL").Value,
            "the kernel command line finds the root by that label");
    }

    [TestMethod]
    public void LabelWithBlankOnANonRootFilesystem_IsFoundByUuidInFstab()
    {
        const string yaml = """
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: root
                    size: 50%
                    mkfs: { name: mkfs_root, type: ext4, mount: { mount_point: / } }
                  - name: data
                    size: 100%
                    mkfs: { type: ext4, label: 'my data', uuid: 6a1c2a0e-8b55-4a39-9d6b-2f1b0c3e4d5f, mount: { mount_point: /srv, fstab: { options: defaults } } }
            """;

        var plan = DiskPlanner.Plan(Parse(yaml), Root, Usage(("/", 300), ("/srv", 10)), null, 0);

        Assert.AreEqual("my data", plan.Filesystems.Single(f => f.MountPoint == "/srv").Label);
        CollectionAssert.Contains(plan.Fstab.ToArray(), "UUID=6a1c2a0e-8b55-4a39-9d6b-2f1b0c3e4d5f /srv ext4 defaults 0 2", string.Join(" | ", plan.Fstab));
    }

    [TestMethod]
    public void PercentagePartitionsGrowUntilEachFilesystemHoldsItsShareOfTheTree()
    {
        var usage = Usage(("/", 900), ("/boot", 80), ("/var", 500));
        var plan = DiskPlanner.Plan(Parse(MultiPartition), Root, usage, null, 0);

        CollectionAssert.AreEqual(new[] { 1, 2, 5, 6 }, plan.Partitions.Select(p => p.Number).ToArray(), "two primaries, then logicals");
        Assert.IsNotNull(plan.ExtendedStartSector);
        foreach (var fs in plan.Filesystems.Where(f => f.MountPoint is not null))
            Assert.IsTrue(fs.SizeBytes >= FilesystemSizing.Compute(fs.Type, usage[fs.MountPoint!], 0), $"{fs.Node} holds its content");
        var swap = plan.Filesystems.Single(f => f.Type == FilesystemType.Swap);
        Assert.IsNull(swap.MountPoint);
        CollectionAssert.AreEqual(new[]
        {
            "LABEL=cloudimg-rootfs / ext4 defaults,errors=remount-ro 0 1",
            "LABEL=boot /boot ext4 defaults 0 2",
            "LABEL=var /var xfs defaults 0 2",
            "LABEL=swap none swap sw 0 0",
        }, plan.Fstab.ToArray());
        var ends = plan.Partitions.Select(p => p.StartSector + p.SectorCount).ToList();
        Assert.IsTrue(ends.Max() * 512 <= plan.DiskBytes);
    }

    [TestMethod]
    public void ImageSizeTooSmallForTheTreeIsAnErrorThatSaysHowMuchIsNeeded()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            DiskPlanner.Plan(BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr), Root, Usage(("/", 800)), 512 * MiB, 0));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code);
        StringAssert.Contains(error.Message, "ImageSize");
        StringAssert.Contains(error.Message, "mkfs_root");
        StringAssert.Contains(error.Message, $"{FilesystemSizing.Compute(new TreeUsage(800 * MiB, 10_000), 0) / MiB} MiB");
    }

    [TestMethod]
    public void AFixedPartitionTooSmallForItsContentNamesThePartition()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            DiskPlanner.Plan(Parse(MultiPartition), Root, Usage(("/", 100), ("/boot", 400), ("/var", 10)), null, 0));

        Assert.AreEqual(ErrorCodes.FilesystemTooSmall, error.Code);
        StringAssert.Contains(error.Message, "partition 'boot'");
        StringAssert.Contains(error.Message, "/boot");
    }

    [TestMethod]
    public void ImageExtraSizeGoesToTheRootFilesystem()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr);
        var plain = DiskPlanner.Plan(config, Root, Usage(("/", 400)), null, 0);
        var extra = DiskPlanner.Plan(config, Root, Usage(("/", 400)), null, 1024 * MiB);

        Assert.AreEqual(1024 * MiB, extra.Filesystems[0].SizeBytes - plain.Filesystems[0].SizeBytes);
    }

    [TestMethod]
    public void TheJournalSizeIsPassedToMke2fsAndCountedInTheRootsSize()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr);
        var small = DiskPlanner.Plan(config, Root, Usage(("/", 400)), null, 0);
        var large = DiskPlanner.Plan(config, Root with { JournalBytes = 256 * MiB }, Usage(("/", 400)), null, 0);

        Assert.IsEmpty(small.Filesystems[0].Options, "mke2fs chooses the journal unless ImageJournalSize is set");
        CollectionAssert.AreEqual(new[] { "-J", "size=256" }, large.Filesystems[0].Options.ToArray());
        Assert.AreEqual(192 * MiB, large.Filesystems[0].SizeBytes - small.Filesystems[0].SizeBytes);
    }

    [TestMethod]
    public void FilesystemOnlyLayoutFillsTheWholeImage()
    {
        var plan = DiskPlanner.Plan(BlockDeviceDefaults.Load(BlockDeviceDefaults.FilesystemOnly), Root, Usage(("/", 200)), null, 0);

        Assert.AreEqual(DiskPlan.NoTable, plan.Table);
        Assert.AreEqual(0, plan.Filesystems[0].OffsetBytes);
        Assert.AreEqual(plan.DiskBytes, plan.Filesystems[0].SizeBytes);
    }

    [TestMethod]
    public void TheRootSettingsApplyOnlyWhereTheYamlIsSilent()
    {
        var settings = new RootFilesystemSettings(FilesystemType.Xfs, "myroot", "0b9c3a10-7c6d-4f31-9a4e-4d3c2b1a0f9e");
        var plan = DiskPlanner.Plan(BlockDeviceDefaults.Load(BlockDeviceDefaults.Gpt), settings, Usage(("/", 200)), null, 0);

        var root = plan.Filesystems.Single();
        Assert.AreEqual(FilesystemType.Xfs, root.Type);
        Assert.AreEqual("myroot", root.Label);
        Assert.AreEqual("0b9c3a10-7c6d-4f31-9a4e-4d3c2b1a0f9e", root.Uuid);
        Assert.IsTrue(root.SizeBytes >= 300 * MiB, "mkfs.xfs refuses less than 300 MiB");
    }

    [TestMethod]
    public void LvmStopsBeforeAnythingIsWrittenAndSaysWhatIsMissing()
    {
        var config = Parse("""
            - local_loop:
                name: image0
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: root
                    type: 8E00
                    size: 100%
            - lvm:
                name: lvm
                base: [root]
                pvs:
                  - name: pv
                    base: root
                vgs:
                  - name: vg
                    base: [pv]
                lvs:
                  - name: lv_root
                    base: vg
                    extents: 100%FREE
            - mkfs:
                name: mkfs_root
                base: lv_root
                type: ext4
                mount:
                  mount_point: /
            """);

        var error = Assert.ThrowsExactly<DibException>(() => LayoutSupport.Check(config, Root, _ => false));

        Assert.AreEqual(ErrorCodes.LvmNotAvailable, error.Code);
        StringAssert.Contains(error.Message, "/dev/mapper/control");
        StringAssert.Contains(error.Message, "lvm2");
        StringAssert.Contains(error.Message, "test.yaml");
    }

    [TestMethod]
    public void ARootLabelTooLongForTheRootTypeIsRefused()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            LayoutSupport.Check(BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr), new RootFilesystemSettings(FilesystemType.Xfs, "cloudimg-rootfs", null)));

        Assert.AreEqual(ErrorCodes.BlockDeviceLabelTooLong, error.Code);
        StringAssert.Contains(error.Message, "'cloudimg-rootfs'");
        StringAssert.Contains(error.Message, "12");
    }
}
