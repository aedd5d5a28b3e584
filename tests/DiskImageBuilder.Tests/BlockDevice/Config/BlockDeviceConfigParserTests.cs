using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed class BlockDeviceConfigParserTests
{
    private const string Tree = """
        - local_loop:
            name: image0
            size: 8GiB

        - partitioning:
            base: image0
            name: mbr
            label: mbr
            partitions:
              - name: root
                flags: [boot, primary]
                size: 60%
                mkfs:
                  type: xfs
                  uuid: 7b2f9b5e-3c1d-4c4e-9a57-1d2f3e4a5b6c
                  mount:
                    mount_point: /
                    fstab:
                      options: defaults
                      fsck-passno: 1
              - name: var
                size: 90%
                mkfs:
                  type: ext4
                  label: var
                  mount:
                    mount_point: /var
                    fstab:
                      options: nodev,nosuid
              - name: swap
                type: '82'
                size: 100%
                mkfs:
                  type: swap
                  mount:
                    mount_point: none
                    fstab:
                      options: sw
                      fsck-passno: 0
        """;

    private const string Graph = """
        - local_loop:
            name: image0
            size: 8GiB
        - partitioning:
            base: image0
            name: mbr
            label: mbr
            partitions:
              - name: root
                base: image0
                flags: [boot, primary]
                size: 60%
              - name: var
                base: image0
                size: 90%
              - name: swap
                base: image0
                type: '0x82'
                size: 100%
        - fstab:
            name: fstab_mount_mkfs_swap
            base: mount_mkfs_swap
            options: sw
            fsck-passno: 0
        - mount:
            name: mount_mkfs_swap
            base: mkfs_swap
            mount_point: none
        - mkfs:
            name: mkfs_swap
            base: swap
            type: swap
        - mkfs:
            name: mkfs_root
            base: root
            type: xfs
            uuid: 7B2F9B5E-3C1D-4C4E-9A57-1D2F3E4A5B6C
        - mount:
            name: mount_mkfs_root
            base: mkfs_root
            mount_point: /
        - fstab:
            name: fstab_mount_mkfs_root
            base: mount_mkfs_root
            options: defaults
            fsck-passno: 1
        - mkfs:
            name: mkfs_var
            base: var
            type: ext4
            label: var
        - mount:
            name: mount_mkfs_var
            base: mkfs_var
            mount_point: /var/
        - fstab:
            name: fstab_mount_mkfs_var
            base: mount_mkfs_var
            options: nodev,nosuid
            dump-freq: 0
            fsck-passno: 2
        """;

    [TestMethod]
    public void Parse_TreeAndGraphNotationOfOneLayout_GiveEqualGraphs()
    {
        var tree = ConfigAssert.Parse(Tree);
        var graph = ConfigAssert.Parse(Graph);

        Assert.AreEqual(graph, tree);
        Assert.AreEqual(graph.GetHashCode(), tree.GetHashCode());
        CollectionAssert.AreEquivalent(graph.Edges.ToList(), tree.Edges.ToList());
        CollectionAssert.AreEquivalent(graph.Nodes.Select(n => n.Name).ToList(), tree.Nodes.Select(n => n.Name).ToList());
    }

    [TestMethod]
    public void Parse_LayoutsThatDifferInOneField_AreNotEqual()
    {
        var changed = ConfigAssert.Parse(Graph.Replace("options: nodev,nosuid", "options: nodev"));

        Assert.AreNotEqual(ConfigAssert.Parse(Graph), changed);
    }

    [TestMethod]
    public void Parse_MixedNotation_EqualsTheGraph()
    {
        var mixed = ConfigAssert.Parse("""
            - local_loop:
                name: image0
                size: 8GiB
            - partitioning:
                base: image0
                name: mbr
                label: mbr
                partitions:
                  - name: root
                    flags: [boot, primary]
                    size: 60%
                    mkfs:
                      type: xfs
                      uuid: 7b2f9b5e-3c1d-4c4e-9a57-1d2f3e4a5b6c
                  - name: var
                    size: 90%
                  - name: swap
                    type: '82'
                    size: 100%
            - mount:
                base: mkfs_root
                mount_point: /
                fstab:
                  options: defaults
                  fsck-passno: 1
            - mkfs:
                base: var
                type: ext4
                label: var
                mount:
                  mount_point: /var
                  fstab: { options: 'nodev,nosuid' }
            - mkfs:
                base: swap
                type: swap
                mount:
                  mount_point: none
                  fstab: { options: sw, fsck-passno: 0 }
            """);

        Assert.AreEqual(ConfigAssert.Parse(Graph), mixed);
    }

    [TestMethod]
    public void Parse_TreeNotation_NamesNodesKindUnderscoreBaseAndSetsBaseToTheParent()
    {
        var config = ConfigAssert.Parse("""
            - local_loop:
                name: image0
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: root
                    size: 100%
                    mkfs:
                      type: ext4
                      mount:
                        mount_point: /
                        fstab: {}
            """);

        CollectionAssert.AreEqual(
            new[] { "image0", "partitioning_image0", "root", "mkfs_root", "mount_mkfs_root", "fstab_mount_mkfs_root" },
            config.Nodes.Select(n => n.Name).ToArray());
        Assert.AreEqual("root", ((MkfsNode)config.Find("mkfs_root")!).Base);
        Assert.AreEqual("mkfs_root", ((MountNode)config.Find("mount_mkfs_root")!).Base);
        Assert.AreEqual("mount_mkfs_root", ((FstabNode)config.Find("fstab_mount_mkfs_root")!).Base);
        var partition = (PartitionNode)config.Find("root")!;
        Assert.AreEqual("image0", partition.Base, "a partition is on its partitioning's disk");
        Assert.AreEqual("partitioning_image0", partition.Partitioning);
    }

    [TestMethod]
    public void Parse_NestedNodeWithItsOwnBaseAndName_KeepsThem()
    {
        var config = ConfigAssert.Parse("""
            - local_loop:
                name: image0
                mkfs:
                  name: fs
                  type: ext4
                  mount:
                    name: rootmount
                    mount_point: /
                    fstab:
                      base: rootmount
                      name: rootline
            """);

        Assert.AreEqual(new MkfsNode("fs", "image0", FilesystemType.Ext4, null, null, [], 3), config.Find("fs"));
        Assert.AreEqual("fs", ((MountNode)config.Find("rootmount")!).Base);
        Assert.AreEqual("rootmount", ((FstabNode)config.Find("rootline")!).Base);
    }

    [TestMethod]
    public void Parse_LocalLoop_ReadsEveryField()
    {
        var config = ConfigAssert.Parse("""
            - local_loop:
                name: data_image
                size: 7.5GiB
                directory: /var/tmp
                block_size: 4096
            - local_loop:
                name: image0
            """);

        Assert.AreEqual(new LocalLoopNode("data_image", SizeExpression.FromBytes(7680L << 20), "/var/tmp", 4096, 1), config.Nodes[0]);
        Assert.AreEqual(new LocalLoopNode("image0", null, null, null, 6), config.Nodes[1]);
        Assert.AreEqual(6, config.Nodes[1].SourceLine);
        Assert.IsEmpty(config.Edges);
    }

    [TestMethod]
    public void Parse_Partitioning_ReadsEveryField()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                name: table
                base: image0
                label: mbr
                align: 32KiB
                partitions:
                  - name: boot
                    flags: [boot, primary]
                    size: 512MiB
                    type: '0xef'
                  - name: data
                    size: 1.5GB
                  - name: rest
                    size: 100%
                    type: 8e
            """);

        var table = (PartitioningNode)config.Find("table")!;
        PartitionNode[] partitions =
        [
            new("boot", "image0", "table", PartitionFlags.Boot | PartitionFlags.Primary, SizeExpression.FromBytes(512L << 20), Parse("ef", PartitionTableLabel.Mbr), 8),
            new("data", "image0", "table", PartitionFlags.None, SizeExpression.FromBytes(1_500_000_000), PartitionTypeCode.MbrDefault, 12),
            new("rest", "image0", "table", PartitionFlags.None, SizeExpression.FromPercent(100), Parse("8E", PartitionTableLabel.Mbr), 14),
        ];
        Assert.AreEqual(new PartitioningNode("table", "image0", PartitionTableLabel.Mbr, SizeExpression.FromBytes(32 * 1024), [.. partitions], 2), table);
        Assert.AreEqual(32 * 1024, table.AlignBytes);
        CollectionAssert.AreEqual(partitions, config.NodesOf<PartitionNode>().ToArray());
        Assert.AreEqual(0xef, partitions[0].Type.MbrType);
        Assert.IsTrue(partitions[0].IsBoot && partitions[0].IsPrimary);
        Assert.IsFalse(partitions[1].IsBoot || partitions[1].IsPrimary);
        CollectionAssert.AreEqual(new[] { 8, 12, 14 }, config.NodesOf<PartitionNode>().Select(p => p.SourceLine).ToArray());
        CollectionAssert.AreEqual(
            new BlockDeviceEdge[] { new("image0", "table"), new("table", "boot"), new("table", "data"), new("table", "rest") },
            config.Edges.ToArray());
    }

    [TestMethod]
    public void Parse_GptPartitions_DefaultTo8300AndAcceptCodesGuidsAndBoot()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - { name: ESP, type: EF00, size: 550MiB }
                  - { name: BSP, type: 'ef02', size: 8MiB }
                  - { name: prep, type: '0x4100', size: 8MiB }
                  - { name: home, type: 933ac7e1-2eb4-4f13-b844-0e14e2aef915, size: 1GiB }
                  - { name: root, flags: [boot], size: 100% }
            """);

        var partitions = config.NodesOf<PartitionNode>().ToDictionary(p => p.Name);
        Assert.AreEqual("EF00", partitions["ESP"].Type.Text);
        Assert.AreEqual("EF02", partitions["BSP"].Type.Text);
        Assert.AreEqual("4100", partitions["prep"].Type.Text);
        Assert.AreEqual(new Guid("933ac7e1-2eb4-4f13-b844-0e14e2aef915"), partitions["home"].Type.GptType);
        Assert.AreEqual(PartitionTypeCode.GptDefault, partitions["root"].Type);
        Assert.AreEqual(PartitionFlags.Boot, partitions["root"].Flags);
        Assert.AreEqual(PartitioningNode.DefaultAlignBytes, ((PartitioningNode)config.Find("partitioning_image0")!).AlignBytes);
    }

    [TestMethod]
    public void Parse_Lvm_ReadsEveryField()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - { name: root, type: 8E00, size: 60% }
                  - { name: data, type: 8E00, size: 100% }
            - lvm:
                name: lvm
                base: [root, data]
                pvs:
                  - name: pv
                    base: root
                    options: ["--force"]
                  - name: pv1
                    base: data
                    options: --force --yes
                vgs:
                  - name: vg
                    base: [pv, pv1]
                    options: ["--force"]
                lvs:
                  - name: lv_root
                    base: vg
                    size: 1800M
                  - name: lv_pool
                    base: vg
                    type: thin-pool
                    extents: 50%VG
                    options: [--zero, n]
                  - name: lv_home
                    base: vg
                    type: thin
                    thin-pool: lv_pool
                    size: 10G
            - mkfs: { base: lv_home, type: xfs, label: home }
            """);

        Assert.AreEqual(new LvmNode("lvm", ["root", "data"],
            [new("pv", "root", ["--force"], 12), new("pv1", "data", ["--force", "--yes"], 15)],
            [new("vg", ["pv", "pv1"], ["--force"], 19)],
            [
                new("lv_root", "vg", "1800M", null, null, null, [], 23),
                new("lv_pool", "vg", null, "50%VG", LvmLogicalVolume.ThinPoolType, null, ["--zero", "n"], 26),
                new("lv_home", "vg", "10G", null, LvmLogicalVolume.ThinType, "lv_pool", [], 31),
            ],
            8), config.Find("lvm"));
        CollectionAssert.IsSubsetOf(
            new BlockDeviceEdge[] { new("root", "lvm"), new("root", "pv"), new("data", "pv1"), new("pv", "vg"), new("pv1", "vg"),
                new("vg", "lv_home"), new("lv_pool", "lv_home"), new("lv_home", "mkfs_lv_home") },
            config.Edges.ToArray());
        Assert.AreEqual(new LvmPhysicalVolume("pv", "root", ["--force"], 0), config.Find("pv"), "volumes are nodes of their own");
        CollectionAssert.AreEqual(new[] { 8, 12, 15, 19, 23, 26, 31 },
            new[] { "lvm", "pv", "pv1", "vg", "lv_root", "lv_pool", "lv_home" }.Select(name => config.Find(name)!.SourceLine).ToArray());
    }

    [TestMethod]
    public void Parse_LvmNestedInAPartition_TakesThePartitionAsBaseAndName()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - name: root
                    size: 100%
                    lvm:
                      pvs: [{ name: pv, base: root }]
                      vgs: [{ name: vg, base: pv }]
                      lvs: [{ name: lv, base: vg, extents: 100%FREE }]
            """);

        var lvm = (LvmNode)config.Find("lvm_root")!;
        CollectionAssert.AreEqual(new[] { "root" }, lvm.Bases.ToArray());
        CollectionAssert.AreEqual(new[] { "pv" }, ((LvmVolumeGroup)config.Find("vg")!).Bases.ToArray(), "a single value is a list of one");
    }

    [TestMethod]
    public void Parse_Mkfs_ReadsEveryField()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - partitioning:
                base: image0
                label: gpt
                partitions:
                  - { name: ESP, type: EF00, size: 64MiB }
                  - { name: root, size: 50% }
                  - { name: data, size: 100% }
            - mkfs:
                name: mkfs_root
                base: root
                type: ext4
                label: cloudimg-rootfs
                uuid: b733f302-0336-49c0-85f2-38ca109e8bdb
                opts: "-i 16384  -J size=64"
            - mkfs:
                name: esp_fs
                base: ESP
                type: vfat
                uuid: 1a2b-3c4d
                opts: [-F, "32"]
            - mkfs: { base: data, type: btrfs }
            """);

        Assert.AreEqual(new MkfsNode("mkfs_root", "root", FilesystemType.Ext4, "cloudimg-rootfs", "b733f302-0336-49c0-85f2-38ca109e8bdb",
            ["-i", "16384", "-J", "size=64"], 0), config.Find("mkfs_root"));
        Assert.AreEqual(new MkfsNode("esp_fs", "ESP", FilesystemType.Vfat, null, "1A2B-3C4D", ["-F", "32"], 0), config.Find("esp_fs"));
        Assert.AreEqual("ESP_FS", ((MkfsNode)config.Find("esp_fs")!).EffectiveLabel, "vfat labels default to the name, upper-cased");
        Assert.AreEqual("mkfs_data", ((MkfsNode)config.Find("mkfs_data")!).EffectiveLabel);
        Assert.AreEqual(FilesystemType.Btrfs, ((MkfsNode)config.Find("mkfs_data")!).Type);
    }

    [TestMethod]
    public void Parse_MkfsRootWithoutTypeOrLabel_LeavesThemToTheBuild()
    {
        var config = ConfigAssert.Parse(BlockDeviceDefaults.Text(BlockDeviceDefaults.FilesystemOnly));

        var root = (MkfsNode)config.Find(MkfsNode.RootName)!;
        Assert.IsNull(root.Type);
        Assert.IsNull(root.Label);
        Assert.IsNull(root.EffectiveLabel);
        Assert.IsTrue(root.IsRoot);
        Assert.AreEqual(LocalLoopNode.OutputImageName, root.Base);
    }

    [TestMethod]
    public void Parse_MountAndFstab_ReadEveryFieldAndApplyDefaults()
    {
        var config = ConfigAssert.Parse("""
            - local_loop: { name: image0 }
            - mkfs: { name: mkfs_root, base: image0, type: ext4 }
            - mount:
                name: root_mnt
                base: mkfs_root
                mount_point: /srv/data/
            - fstab:
                name: root_fstab
                base: root_mnt
                options: nodev,nosuid
                dump-freq: 2
                fsck-passno: 0
            - local_loop: { name: image1 }
            - mkfs: { name: fs1, base: image1, type: xfs, mount: { mount_point: /, fstab: {} } }
            """);

        Assert.AreEqual(new MountNode("root_mnt", "mkfs_root", "/srv/data", 3), config.Find("root_mnt"));
        Assert.AreEqual(new FstabNode("root_fstab", "root_mnt", "nodev,nosuid", 2, 0, 7), config.Find("root_fstab"));
        Assert.AreEqual(new FstabNode("fstab_mount_fs1", "mount_fs1", FstabNode.DefaultOptions, FstabNode.DefaultDumpFreq, FstabNode.DefaultFsckPassno, 0),
            config.Find("fstab_mount_fs1"));
        Assert.AreEqual("/", ((MountNode)config.Find("mount_fs1")!).MountPoint);
    }

    [TestMethod]
    public void Parse_NestedNodeWithoutSettings_TakesTheDefaults()
    {
        var config = ConfigAssert.Parse("""
            - local_loop:
                name: image0
                mkfs:
                  name: mkfs_root
                  mount:
                    mount_point: /
                    fstab:
            """);

        Assert.AreEqual(new FstabNode("fstab_mount_mkfs_root", "mount_mkfs_root", "defaults", 0, 2, 7), config.Find("fstab_mount_mkfs_root"));
    }

    [TestMethod]
    public void Parse_NodesDeclaredBeforeTheirBases_AreOrderedForCreation()
    {
        var config = ConfigAssert.Parse("""
            - fstab: { name: f, base: m }
            - mount: { name: m, base: fs, mount_point: / }
            - local_loop: { name: image0 }
            - mkfs: { name: fs, base: image0, type: ext4 }
            - local_loop: { name: image1 }
            """);

        CollectionAssert.AreEqual(new[] { "image0", "fs", "m", "f", "image1" }, config.Nodes.Select(n => n.Name).ToArray());
        CollectionAssert.AreEqual(new BlockDeviceEdge[] { new("image0", "fs"), new("fs", "m"), new("m", "f") }, config.Edges.ToArray());
        CollectionAssert.AreEqual(new[] { 3, 4, 2, 1, 5 }, config.Nodes.Select(n => n.SourceLine).ToArray());
    }

    [TestMethod]
    public void Parse_RecordsTheSourceName()
    {
        Assert.AreEqual(ConfigAssert.Source, ConfigAssert.Parse("- local_loop: { name: image0 }").SourceName);
    }

    [TestMethod]
    public void Nodes_EqualityIgnoresTheLineButNotTheFields()
    {
        var node = new MountNode("m", "fs", "/", 3);

        Assert.AreEqual(node, node with { SourceLine = 40 });
        Assert.AreNotEqual(node, node with { MountPoint = "/var" });
        Assert.AreNotEqual<BlockDeviceNode>(node, new FstabNode("m", "fs", "defaults", 0, 2, 3));
    }

    private static PartitionTypeCode Parse(string text, PartitionTableLabel table) =>
        PartitionTypeCode.TryParse(text, table, out var code) ? code : throw new AssertFailedException(text);
}
