using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

/// <summary>Every configuration error: its code, and a message that names the source, the line and the node.</summary>
[TestClass]
public sealed class BlockDeviceConfigErrorTests
{
    [TestMethod]
    public void Parse_InvalidYaml_FailsWithDib3010AtTheLine()
    {
        var error = Assert.ThrowsExactly<DibException>(() => ConfigAssert.Parse("""
            - local_loop:
                name: image0
            - mkfs: { base: image0, type: ext4
            - mount: { base: mkfs_image0, mount_point: / }
            """));

        Assert.AreEqual(ErrorCodes.BlockDeviceConfigMalformed, error.Code);
        Assert.AreEqual(ConfigAssert.Source, error.File);
        Assert.IsGreaterThanOrEqualTo(3, error.Line, error.Message);
        Assert.Contains($"{ConfigAssert.Source} line {error.Line}, column", error.Message);
        Assert.Contains("not valid YAML", error.Message);
    }

    [TestMethod]
    public void Parse_KeyGivenTwice_FailsWithDib3010()
    {
        var error = Assert.ThrowsExactly<DibException>(() => ConfigAssert.Parse("""
            - local_loop:
                name: image0
                name: image1
            """));

        Assert.AreEqual(ErrorCodes.BlockDeviceConfigMalformed, error.Code);
        Assert.AreEqual(3, error.Line, error.Message);
        Assert.Contains($"{ConfigAssert.Source} line 3", error.Message);
    }

    [TestMethod]
    [DataRow("", 1, DisplayName = "empty")]
    [DataRow("local_loop: { name: image0 }", 1, DisplayName = "a map, not a list")]
    [DataRow("- local_loop: { name: image0 }\n- raid: { base: image0 }", 2, DisplayName = "unknown node type")]
    [DataRow("- local_loop: { name: image0 }\n- { mkfs: { base: image0, type: ext4 }, mount: { mount_point: / } }", 2, DisplayName = "two node types in one entry")]
    [DataRow("- local_loop: { name: image0 }\n---\n- local_loop: { name: image1 }", 3, DisplayName = "two documents")]
    public void Parse_ConfigThatIsNotAListOfNodes_FailsWithDib3010(string yaml, int line)
    {
        ConfigAssert.Fails(yaml, ErrorCodes.BlockDeviceConfigMalformed, line, node: null);
    }

    [TestMethod]
    public void Parse_UnknownKey_FailsWithDib3010NamingTheKeyAndTheNode()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - mkfs:
                name: fs
                base: image0
                type: ext4
                mount:
                  mount-point: /
            """, ErrorCodes.BlockDeviceConfigMalformed, 7, "mount 'mount_fs'");

        Assert.Contains("'mount-point'", error.Message);
        Assert.Contains("mount_point", error.Message, "the message lists the keys that exist");
    }

    [TestMethod]
    [DataRow("- local_loop: { size: 1GiB }", 1, "local_loop", "needs 'name'", DisplayName = "image without a name")]
    [DataRow("- local_loop: { name: \"image\\t0\" }", 1, "local_loop", "cannot be a name", DisplayName = "name with a tab")]
    [DataRow("- local_loop: { name: '..' }", 1, "local_loop", "cannot be a name", DisplayName = "name ..")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { name: a/b, base: image0, type: ext4 }", 2, "mkfs", "cannot be a name", DisplayName = "name with a slash")]
    [DataRow("- local_loop: { name: image0, size: 50% }", 1, "local_loop 'image0'", "absolute", DisplayName = "image size in percent")]
    [DataRow("- local_loop: { name: image0, block_size: 1024 }", 1, "local_loop 'image0'", "512 or 4096", DisplayName = "odd block size")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { type: ext4 }", 2, "mkfs", "needs 'base'", DisplayName = "top-level mkfs without base")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0 }", 2, "mkfs 'mkfs_image0'", "needs 'type'", DisplayName = "mkfs without type")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, uuid: 1234 }", 2, "mkfs 'mkfs_image0'", "not a UUID", DisplayName = "bad uuid")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: vfat, uuid: 12345 }", 2, "mkfs 'mkfs_image0'", "volume id", DisplayName = "bad vfat volume id")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, label: 'my root', mount: { mount_point: / } }", 2, "mkfs 'mkfs_image0'", "contains a blank", DisplayName = "root label with a space")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, mount: { mount_point: var } }", 2, "mount 'mount_mkfs_image0'", "absolute path", DisplayName = "relative mount point")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, mount: { mount_point: /a/../b } }", 2, "mount 'mount_mkfs_image0'", "absolute path", DisplayName = "mount point with ..")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, mount: { mount_point: / , fstab: { fsck-passno: one } } }", 2, "fstab 'fstab_mount_mkfs_image0'", "whole number", DisplayName = "fsck-passno not a number")]
    [DataRow("- local_loop: { name: image0 }\n- mkfs: { base: image0, type: ext4, mount: { mount_point: / , fstab: { options: 'rw, noatime' } } }", 2, "fstab 'fstab_mount_mkfs_image0'", "white space", DisplayName = "fstab options with a space")]
    [DataRow("- local_loop:\n    name: image0\n    mkfs: { type: ext4 }\n- local_loop:\n    name: image1\n    local_loop: { name: image2 }", 6, "local_loop 'image2'", "top level", DisplayName = "nested image")]
    public void Parse_BadNodeSetting_FailsWithDib3010AtTheSetting(string yaml, int line, string node, string problem)
    {
        var error = ConfigAssert.Fails(yaml, ErrorCodes.BlockDeviceConfigMalformed, line, node);

        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    [DataRow("label: dos", 4, "partitioning 'partitioning_image0'", "mbr or gpt", DisplayName = "unknown table label")]
    [DataRow("label: gpt\n    align: 64KiB", 5, "partitioning 'partitioning_image0'", "MBR tables only", DisplayName = "align on gpt")]
    [DataRow("label: mbr\n    align: 1000B", 5, "partitioning 'partitioning_image0'", "multiple of 512", DisplayName = "align not a sector multiple")]
    public void Parse_BadPartitioningSetting_FailsWithDib3010(string settings, int line, string node, string problem)
    {
        var error = ConfigAssert.Fails($"""
            - local_loop: {"{"} name: image0 {"}"}
            - partitioning:
                base: image0
                {settings}
                partitions:
                  - {"{"} name: root, size: 100% {"}"}
            """, ErrorCodes.BlockDeviceConfigMalformed, line, node);

        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    [DataRow("{ size: 100% }", "partition", "needs 'name'", DisplayName = "partition without name")]
    [DataRow("{ name: root }", "partition 'root'", "needs 'size'", DisplayName = "partition without size")]
    [DataRow("{ name: root, size: lots }", "partition 'root'", "not a size", DisplayName = "size without a number")]
    [DataRow("{ name: root, size: 0 }", "partition 'root'", "not a size", DisplayName = "zero size")]
    [DataRow("{ name: root, size: 101% }", "partition 'root'", "not a size", DisplayName = "more than 100 percent")]
    [DataRow("{ name: root, size: 10XB }", "partition 'root'", "not a size", DisplayName = "unknown unit")]
    [DataRow("{ name: root, size: 100%, flags: [active] }", "partition 'root'", "not a partition flag", DisplayName = "unknown flag")]
    [DataRow("{ name: root, size: 100%, flags: [primary] }", "partition 'root'", "MBR tables only", DisplayName = "primary on gpt")]
    [DataRow("{ name: root, size: 100%, base: image1 }", "partition 'root'", "differs from the disk", DisplayName = "base other than the disk")]
    [DataRow("{ name: a_name_longer_than_a_gpt_entry_can_hold, size: 100% }", "partition 'a_name_longer_than_a_gpt_entry_can_hold'", "36", DisplayName = "gpt name too long")]
    [DataRow("{ name: root, size: 100%, mkfs: [ext4] }", "mkfs under 'root'", "must be a map", DisplayName = "nested node not a map")]
    public void Parse_BadPartition_FailsWithDib3010AtTheEntry(string partition, string node, string problem)
    {
        var error = ConfigAssert.Fails($"""
            - local_loop: {"{"} name: image0 {"}"}
            - local_loop: {"{"} name: image1 {"}"}
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - {partition}
            """, ErrorCodes.BlockDeviceConfigMalformed, 7, node);

        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    [DataRow("{ name: lv, base: vg }", "needs 'size'", DisplayName = "neither size nor extents")]
    [DataRow("{ name: lv, base: vg, size: 1G, extents: 10%VG }", "both 'size' and 'extents'", DisplayName = "size and extents")]
    [DataRow("{ name: lv, base: vg, size: 1G, type: cache }", "not a volume type", DisplayName = "unknown volume type")]
    [DataRow("{ name: lv, base: vg, size: 1G, type: thin }", "needs 'thin-pool'", DisplayName = "thin without pool")]
    [DataRow("{ name: lv, base: vg, size: 1G, mkfs: { type: ext4 } }", "cannot nest", DisplayName = "nested mkfs in lvs")]
    public void Parse_BadLogicalVolume_FailsWithDib3010(string volume, string problem)
    {
        var error = ConfigAssert.Fails($"""
            - local_loop: {"{"} name: image0 {"}"}
            - lvm:
                pvs: [ {"{"} name: pv, base: image0 {"}"} ]
                vgs: [ {"{"} name: vg, base: [pv] {"}"} ]
                lvs:
                  - {volume}
            """, ErrorCodes.BlockDeviceConfigMalformed, 6, "lvm lv 'lv'");

        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    public void Parse_SwapWithAMountPoint_FailsWithDib3010()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - mkfs:
                base: image0
                type: swap
                mount:
                  mount_point: /swap
            """, ErrorCodes.BlockDeviceConfigMalformed, 5, "mount 'mount_mkfs_image0'");

        Assert.Contains("mount_point: none", error.Message);
    }

    [TestMethod]
    public void Parse_NoneMountPointForAFilesystem_FailsWithDib3010()
    {
        ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - mkfs: { base: image0, type: ext4, mount: { mount_point: none } }
            """, ErrorCodes.BlockDeviceConfigMalformed, 2, "mount 'mount_mkfs_image0'");
    }

    [TestMethod]
    public void Parse_TwoNodesWithOneName_FailsWithDib3011NamingBothLines()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: mbr
                partitions:
                  - { name: image0, size: 100% }
            """, ErrorCodes.BlockDeviceDuplicateName, 6, "partition 'image0'");

        Assert.Contains("line 1", error.Message);
    }

    [TestMethod]
    public void Parse_TwoGeneratedNamesThatCollide_FailsWithDib3011()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - mkfs: { base: image0, type: ext4 }
            - mkfs: { base: image0, type: xfs }
            """, ErrorCodes.BlockDeviceDuplicateName, 3, "mkfs 'mkfs_image0'");

        Assert.Contains("line 2", error.Message);
    }

    [TestMethod]
    public void Parse_BaseThatNamesNoNode_FailsWithDib3012ListingTheNodes()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: mbr
                partitions:
                  - { name: root, size: 100% }
            - mkfs:
                name: fs
                base: rot
                type: ext4
            """, ErrorCodes.BlockDeviceUnknownBase, 7, "mkfs 'fs'");

        Assert.Contains("'rot'", error.Message);
        Assert.Contains("'root'", error.Message);
    }

    [TestMethod]
    [DataRow("- lvm: { base: [nothing], pvs: [{ name: pv, base: image0 }], vgs: [{ name: vg, base: pv }], lvs: [{ name: lv, base: vg, size: 1G }] }", 2, "lvm 'lvm_nothing'", DisplayName = "lvm base")]
    [DataRow("- lvm: { pvs: [{ name: pv, base: image0 }], vgs: [{ name: vg, base: [pv, pv2] }], lvs: [{ name: lv, base: vg, size: 1G }] }", 2, "lvm vg 'vg'", DisplayName = "volume group member")]
    [DataRow("- lvm: { pvs: [{ name: pv, base: image0 }], vgs: [{ name: vg, base: pv }], lvs: [{ name: lv, base: vg, type: thin, thin-pool: pool, size: 1G }] }", 2, "lvm lv 'lv'", DisplayName = "thin pool")]
    [DataRow("- fstab: { base: mount_x }", 2, "fstab 'fstab_mount_x'", DisplayName = "fstab base")]
    public void Parse_LvmOrFstabBaseThatNamesNoNode_FailsWithDib3012(string node, int line, string name)
    {
        ConfigAssert.Fails("- local_loop: { name: image0 }\n" + node, ErrorCodes.BlockDeviceUnknownBase, line, name);
    }

    [TestMethod]
    public void Parse_MountPointGivenTwice_FailsWithDib3013NamingBothMounts()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: var
                    size: 50%
                    mkfs: { type: ext4, mount: { mount_point: /var } }
                  - name: data
                    size: 100%
                    mkfs:
                      type: xfs
                      mount:
                        mount_point: /var/
            """, ErrorCodes.BlockDeviceDuplicateMountPoint, 13, "mount 'mount_mkfs_data'");

        Assert.Contains("'/var'", error.Message);
        Assert.Contains("mount 'mount_mkfs_var' on line 8", error.Message);
    }

    [TestMethod]
    public void Parse_TwoSwapMounts_AreNotADuplicateMountPoint()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - local_loop: { name: image1 }
            - mkfs: { base: image0, type: swap, mount: { mount_point: none } }
            - mkfs: { base: image1, type: swap, mount: { mount_point: none } }
            """);

        Assert.HasCount(2, config.NodesOf<MountNode>().ToList());
    }

    [TestMethod]
    [DataRow("ext5")]
    [DataRow("ntfs")]
    [DataRow("EXT4")]
    public void Parse_UnknownFilesystem_FailsWithDib3014ListingTheKnownOnes(string type)
    {
        var error = ConfigAssert.Fails($"""
            - local_loop: {"{"} name: image0 {"}"}
            - mkfs:
                name: mkfs_root
                base: image0
                type: {type}
            """, ErrorCodes.BlockDeviceUnknownFilesystem, 5, "mkfs 'mkfs_root'");

        Assert.Contains($"'{type}'", error.Message);
        Assert.Contains("ext2, ext3, ext4, xfs, vfat, btrfs, swap", error.Message);
    }

    [TestMethod]
    [DataRow("gpt", "ABCD", DisplayName = "gpt: unknown code")]
    [DataRow("gpt", "83", DisplayName = "gpt: an MBR byte")]
    [DataRow("gpt", "00000000-0000-0000-0000-000000000000", DisplayName = "gpt: the unused-entry GUID")]
    [DataRow("mbr", "8300", DisplayName = "mbr: a GPT code")]
    [DataRow("mbr", "0x100", DisplayName = "mbr: more than a byte")]
    [DataRow("mbr", "00", DisplayName = "mbr: the unused-entry type")]
    [DataRow("mbr", "zz", DisplayName = "mbr: not hex")]
    [DataRow("mbr", "0x0f", DisplayName = "mbr: the extended type the SDK writes itself")]
    [DataRow("mbr", "05", DisplayName = "mbr: the CHS extended type")]
    public void Parse_UnknownPartitionType_FailsWithDib3015(string table, string type)
    {
        var error = ConfigAssert.Fails($"""
            - local_loop: {"{"} name: image0 {"}"}
            - partitioning:
                base: image0
                label: {table}
                partitions:
                  - name: root
                    flags: [boot]
                    type: '{type}'
                    size: 100%
            """, ErrorCodes.BlockDeviceUnknownPartitionType, 8, "partition 'root'");

        Assert.Contains($"'{type}'", error.Message);
    }

    [TestMethod]
    [DataRow("ext2", 16)]
    [DataRow("ext3", 16)]
    [DataRow("ext4", 16)]
    [DataRow("xfs", 12)]
    [DataRow("vfat", 11)]
    [DataRow("btrfs", 255)]
    [DataRow("swap", 15)]
    public void Parse_LabelOneByteTooLong_FailsWithDib3016(string type, int maximum)
    {
        var fits = ConfigAssert.Parse(Layout(type, new string('a', maximum)));
        Assert.AreEqual(maximum, ((MkfsNode)fits.Find("fs")!).Label!.Length);

        var error = ConfigAssert.Fails(Layout(type, new string('a', maximum + 1)), ErrorCodes.BlockDeviceLabelTooLong, 6, "mkfs 'fs'");

        Assert.Contains($"{type} labels hold {maximum}", error.Message);

        static string Layout(string type, string label) => $"""
            - local_loop: {"{"} name: image0 {"}"}
            - mkfs:
                name: fs
                base: image0
                type: {type}
                label: {label}
                mount: {"{"} mount_point: {(type == "swap" ? "none" : "/")} {"}"}
            """;
    }

    [TestMethod]
    public void Parse_LabelCountsBytesNotCharacters()
    {
        // 6 characters, 12 bytes in UTF-8: fits xfs exactly; one more 'é' does not.
        ConfigAssert.Parse("- local_loop: { name: image0 }\n- mkfs: { name: fs, base: image0, type: xfs, label: éééééé }");

        ConfigAssert.Fails("- local_loop: { name: image0 }\n- mkfs: { name: fs, base: image0, type: xfs, label: ééééééé }",
            ErrorCodes.BlockDeviceLabelTooLong, 2, "mkfs 'fs'");
    }

    [TestMethod]
    public void Parse_NameTooLongForTheDefaultLabel_FailsWithDib3016SayingTheLabelComesFromTheName()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: var_audit
                    size: 100%
                    mkfs:
                      type: xfs
            """, ErrorCodes.BlockDeviceLabelTooLong, 8, "mkfs 'mkfs_var_audit'");

        Assert.Contains("defaults to the node's name", error.Message);
    }

    [TestMethod]
    [DataRow("- mount: { base: root, mount_point: / }", 7, "mount 'mount_root'", "a filesystem (a mkfs node)", DisplayName = "mount on a partition")]
    [DataRow("- fstab: { base: root }", 7, "fstab 'fstab_root'", "a mount", DisplayName = "fstab on a partition")]
    [DataRow("- mkfs: { base: mbr, type: ext4 }", 7, "mkfs 'mkfs_mbr'", "a block device", DisplayName = "mkfs on a partition table")]
    [DataRow("- mkfs: { base: image0, type: ext4 }", 7, "mkfs 'mkfs_image0'", "already used by the partitioning 'mbr'", DisplayName = "formatting a partitioned disk")]
    [DataRow("- partitioning: { base: image0, label: gpt, partitions: [{ name: x, size: 100% }] }", 7, "partitioning 'partitioning_image0'", "already used", DisplayName = "partitioning a disk twice")]
    [DataRow("- lvm: { pvs: [{ name: pv, base: mkfs_root }], vgs: [{ name: vg, base: pv }], lvs: [{ name: lv, base: vg, size: 1G }] }", 7, "lvm pv 'pv'", "a block device", DisplayName = "physical volume on a filesystem")]
    [DataRow("- lvm: { pvs: [{ name: pv, base: image1 }], vgs: [{ name: vg, base: image1 }], lvs: [{ name: lv, base: vg, size: 1G }] }", 7, "lvm vg 'vg'", "a physical volume", DisplayName = "volume group on a disk")]
    [DataRow("- mount: { name: again, base: mkfs_root, mount_point: /again }", 7, "mount 'again'", "can carry one mount only", DisplayName = "mounting a filesystem twice")]
    public void Parse_BaseOfTheWrongKindOrAlreadyUsed_FailsWithDib3017(string node, int line, string name, string problem)
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - local_loop: { name: image1 }
            - partitioning:
                name: mbr
                base: image0
                label: mbr
                partitions: [{ name: root, size: 100%, mkfs: { type: ext4, mount: { mount_point: / } } }]
            """.Replace("[{ name: root", "[{ name: root", StringComparison.Ordinal).Replace(
                "mount_point: / } } }]", "mount_point: / } } }]\n" + node, StringComparison.Ordinal),
            ErrorCodes.BlockDeviceWrongBase, line == 7 ? 8 : line, name);

        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    public void Parse_ThinVolumeInAPoolOfAnotherGroup_FailsWithDib3017()
    {
        ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - local_loop: { name: image1 }
            - lvm:
                pvs: [{ name: pv0, base: image0 }, { name: pv1, base: image1 }]
                vgs: [{ name: vg0, base: pv0 }, { name: vg1, base: pv1 }]
                lvs:
                  - { name: pool, base: vg0, type: thin-pool, size: 1G }
                  - { name: thin, base: vg1, type: thin, thin-pool: pool, size: 2G }
            """, ErrorCodes.BlockDeviceWrongBase, 8, "lvm lv 'thin'");
    }

    [TestMethod]
    public void Parse_PartitionTableOnItsOwnPartition_FailsWithDib3018NamingTheLoop()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - partitioning:
                name: outer
                base: inner
                label: gpt
                partitions:
                  - { name: inner, size: 100% }
            """, ErrorCodes.BlockDeviceCycle, 7, "partition 'inner'");

        Assert.Contains("outer", error.Message);
        Assert.Contains("loop", error.Message);
    }

    [TestMethod]
    public void Parse_VolumeGroupOnItsOwnVolume_FailsWithDib3018()
    {
        var error = ConfigAssert.Fails("""
            - lvm:
                pvs:
                  - { name: pv, base: lv }
                vgs:
                  - { name: vg, base: pv }
                lvs:
                  - { name: lv, base: vg, size: 1G }
            """, ErrorCodes.BlockDeviceCycle, 7, "lvm lv 'lv'");

        Assert.Contains("pv (line 3)", error.Message);
        Assert.Contains("vg (line 5)", error.Message);
    }

    [TestMethod]
    public void Parse_TwoFilesystemsWithOneLabel_FailsWithDib3019()
    {
        var error = ConfigAssert.Fails("""
            - local_loop: { name: image0 }
            - local_loop: { name: image1 }
            - mkfs: { name: a, base: image0, type: ext4, label: data }
            - mkfs: { name: b, base: image1, type: xfs, label: data }
            """, ErrorCodes.BlockDeviceDuplicateLabel, 4, "mkfs 'b'");

        Assert.Contains("mkfs 'a' on line 3", error.Message);
    }

    [TestMethod]
    public void Parse_FivePrimaryMbrPartitions_FailsWithDib3003AtTheFifth()
    {
        var error = ConfigAssert.Fails(Mbr(
            "{ name: p1, flags: [primary], size: 1GiB }",
            "{ name: p2, flags: [primary], size: 1GiB }",
            "{ name: p3, flags: [primary], size: 1GiB }",
            "{ name: p4, flags: [primary], size: 1GiB }",
            "{ name: p5, flags: [primary], size: 100% }"), ErrorCodes.PartitionsDoNotFit, 10, "partition 'p5'");

        Assert.Contains("4 primary partitions", error.Message);
    }

    [TestMethod]
    public void Parse_FourPrimariesAndALogicalPartition_FailsWithDib3003BecauseTheExtendedPartitionTakesASlot()
    {
        var error = ConfigAssert.Fails(Mbr(
            "{ name: p1, flags: [primary], size: 1GiB }",
            "{ name: p2, flags: [primary], size: 1GiB }",
            "{ name: p3, flags: [primary], size: 1GiB }",
            "{ name: p4, flags: [primary], size: 1GiB }",
            "{ name: l5, size: 100% }"), ErrorCodes.PartitionsDoNotFit, 9, "partition 'p4'");

        Assert.Contains("extended partition", error.Message);
    }

    [TestMethod]
    public void Parse_ManyLogicalPartitionsAfterThreePrimaries_Parse()
    {
        var partitions = Enumerable.Range(1, 3).Select(i => $"{{ name: p{i}, flags: [primary], size: 1GiB }}")
            .Concat(Enumerable.Range(5, 20).Select(i => $"{{ name: l{i}, size: 100MiB }}"));

        Assert.HasCount(23, ConfigAssert.Parse(Mbr([.. partitions])).NodesOf<PartitionNode>().ToList());
    }

    [TestMethod]
    public void Parse_PrimaryAfterALogicalPartition_FailsWithDib3003()
    {
        ConfigAssert.Fails(Mbr(
            "{ name: l1, size: 1GiB }",
            "{ name: p2, flags: [primary], size: 100% }"), ErrorCodes.PartitionsDoNotFit, 7, "partition 'p2'");
    }

    [TestMethod]
    public void Parse_PartitionAfterOneThatTakesEverything_FailsWithDib3003()
    {
        var error = ConfigAssert.Fails(Mbr(
            "{ name: root, flags: [primary], size: 100% }",
            "{ name: data, flags: [primary], size: 1GiB }"), ErrorCodes.PartitionsDoNotFit, 7, "partition 'data'");

        Assert.Contains("'root'", error.Message);
    }

    [TestMethod]
    public void Parse_FixedSizesLargerThanTheImagesOwnSize_FailsWithDib3003BeforeTheBuild()
    {
        var error = ConfigAssert.Fails(Mbr(
            "{ name: boot, flags: [primary], size: 512MiB }",
            "{ name: root, flags: [primary], size: 600MiB }").Replace("name: image0 }", "name: image0, size: 1GiB }", StringComparison.Ordinal),
            ErrorCodes.PartitionsDoNotFit, 7, "partition 'root'");

        Assert.Contains("600MiB", error.Message);
        Assert.Contains("1GiB 'image0'", error.Message);
    }

    [TestMethod]
    public void Parse_MoreThan128GptPartitions_FailsWithDib3003()
    {
        var partitions = string.Join("\n", Enumerable.Range(1, 129).Select(i => $"      - {{ name: p{i}, size: 1MiB }}"));

        ConfigAssert.Fails($"- local_loop: {{ name: image0 }}\n- partitioning:\n    base: image0\n    label: gpt\n    partitions:\n{partitions}",
            ErrorCodes.PartitionsDoNotFit, 134, "partition 'p129'");
    }

    /// <summary>An MBR layout on image0 with <paramref name="partitions"/> (flow maps) from line 6 on.</summary>
    private static string Mbr(params string[] partitions) =>
        "- local_loop: { name: image0 }\n- partitioning:\n    base: image0\n    label: mbr\n    partitions:\n"
        + string.Join("\n", partitions.Select(p => "      - " + p));
}
