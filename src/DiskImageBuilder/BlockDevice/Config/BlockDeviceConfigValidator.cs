using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// The checks that need the whole graph: unique names, bases that exist and are of the right kind, no loops,
/// unique mount points and labels, and partitions that fit disks whose size is already known. Each failure is
/// raised at the node declared last of those involved, naming the earlier one's line too.
/// </summary>
internal static class BlockDeviceConfigValidator
{
    public static BlockDeviceConfig Validate(string source, IReadOnlyList<BlockDeviceNode> declared)
    {
        var byName = new Dictionary<string, BlockDeviceNode>(StringComparer.Ordinal);
        foreach (var node in declared)
        {
            if (!byName.TryAdd(node.Name, node))
            {
                var first = byName[node.Name];
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceDuplicateName, source, node,
                    $"the name '{node.Name}' is already taken by the {first.Kind} on line {first.SourceLine}. Names are unique " +
                    "across the whole configuration (generated ones too: KIND_BASE); give one of them another 'name:'.");
            }
        }

        CheckBases(source, declared, byName);
        var ordered = CreationOrder(source, declared, byName);
        CheckMountPoints(source, ordered, byName);
        CheckLabels(source, ordered);
        BlockDeviceSizes.Compute(source, ordered, defaultImageBytes: null);

        var edges = ordered.SelectMany(node => node.DependsOn.Distinct(StringComparer.Ordinal).Select(dependency => new BlockDeviceEdge(dependency, node.Name)));
        return new BlockDeviceConfig(source, new ValueList<BlockDeviceNode>(ordered), new ValueList<BlockDeviceEdge>(edges));
    }

    private static void CheckBases(string source, IReadOnlyList<BlockDeviceNode> declared, Dictionary<string, BlockDeviceNode> byName)
    {
        // Who consumes each node, so that one disk is not both partitioned and formatted, one filesystem not mounted twice.
        var users = new Dictionary<string, BlockDeviceNode>(StringComparer.Ordinal);

        foreach (var node in declared)
        {
            switch (node)
            {
                case PartitioningNode partitioning:
                    Use(Expect(partitioning.Base, "a block device (an image, a partition or a logical volume)", IsBlockDevice));
                    break;
                case LvmNode lvm:
                    foreach (var name in lvm.Bases)
                        Expect(name, "a node", _ => true);
                    break;
                case LvmPhysicalVolume pv:
                    Use(Expect(pv.Base, "a block device (an image, a partition or a logical volume)", IsBlockDevice));
                    break;
                case LvmVolumeGroup vg:
                    foreach (var name in vg.Bases)
                        Use(Expect(name, "a physical volume (an entry of 'pvs')", b => b is LvmPhysicalVolume));
                    break;
                case LvmLogicalVolume lv:
                    Expect(lv.Base, "a volume group (an entry of 'vgs')", b => b is LvmVolumeGroup);
                    if (lv.ThinPool is { } pool)
                    {
                        Expect(pool, $"a volume of type thin-pool in the same group '{lv.Base}'",
                            b => b is LvmLogicalVolume { Type: LvmLogicalVolume.ThinPoolType } p && p.Base == lv.Base);
                    }
                    break;
                case MkfsNode mkfs:
                    Use(Expect(mkfs.Base, "a block device (an image, a partition or a logical volume)", IsBlockDevice));
                    break;
                case MountNode mount:
                    Use(Expect(mount.Base, "a filesystem (a mkfs node)", b => b is MkfsNode));
                    break;
                case FstabNode fstab:
                    Use(Expect(fstab.Base, "a mount", b => b is MountNode));
                    break;
            }

            BlockDeviceNode Expect(string name, string what, Func<BlockDeviceNode, bool> fits)
            {
                if (!byName.TryGetValue(name, out var target))
                {
                    throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceUnknownBase, source, node,
                        $"its base '{name}' names no node. The nodes are: {BlockDeviceConfigErrors.List(byName.Keys)}.");
                }
                if (!fits(target))
                {
                    throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceWrongBase, source, node,
                        $"its base '{name}' is the {target.Kind} on line {target.SourceLine}, but a {node.Kind} is built on {what}. " +
                        "Point 'base' at one.");
                }
                return target;
            }

            void Use(BlockDeviceNode target)
            {
                if (!users.TryAdd(target.Name, node))
                {
                    var other = users[target.Name];
                    throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceWrongBase, source, node,
                        $"its base '{target.Name}' is already used by the {other.Describe()} on line {other.SourceLine}; " +
                        $"a {target.Kind} can carry one {Role(target)} only.");
                }
            }
        }
    }

    private static bool IsBlockDevice(BlockDeviceNode node) =>
        node is LocalLoopNode or PartitionNode || node is LvmLogicalVolume lv && lv.Type != LvmLogicalVolume.ThinPoolType;

    private static string Role(BlockDeviceNode target) => target switch
    {
        MkfsNode => "mount",
        MountNode => "fstab entry",
        LvmPhysicalVolume => "volume group",
        _ => "partition table, physical volume or filesystem",
    };

    /// <summary>
    /// A topological order that keeps the YAML's order wherever the bases allow, so that the layout is created
    /// the same way on every run; what cannot be ordered is a loop of bases (DIB3018).
    /// </summary>
    private static List<BlockDeviceNode> CreationOrder(string source, IReadOnlyList<BlockDeviceNode> declared, Dictionary<string, BlockDeviceNode> byName)
    {
        var position = declared.Select((node, index) => (node.Name, index)).ToDictionary(p => p.Name, p => p.index, StringComparer.Ordinal);
        var waiting = declared.ToDictionary(node => node.Name, node => node.DependsOn.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var dependents = declared.ToDictionary(node => node.Name, _ => new List<BlockDeviceNode>(), StringComparer.Ordinal);
        foreach (var node in declared)
        {
            foreach (var dependency in node.DependsOn.Distinct(StringComparer.Ordinal))
                dependents[dependency].Add(node);
        }

        var ready = new PriorityQueue<BlockDeviceNode, int>();
        foreach (var node in declared.Where(node => waiting[node.Name] == 0))
            ready.Enqueue(node, position[node.Name]);
        var ordered = new List<BlockDeviceNode>(declared.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            ordered.Add(node);
            foreach (var dependent in dependents[node.Name])
            {
                if (--waiting[dependent.Name] == 0)
                    ready.Enqueue(dependent, position[dependent.Name]);
            }
        }
        if (ordered.Count == declared.Count)
            return ordered;

        // Every node left waits, directly or not, on a loop: follow bases from the first one until a node repeats.
        var path = new List<BlockDeviceNode>();
        var current = declared.First(node => waiting[node.Name] > 0);
        while (!path.Contains(current))
        {
            path.Add(current);
            current = byName[current.DependsOn.First(name => waiting[name] > 0)];
        }
        var loop = path.Skip(path.IndexOf(current)).ToList();
        var at = loop.MaxBy(node => node.SourceLine)!;
        throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceCycle, source, at,
            $"the bases form a loop, so nothing in it can be created first: {string.Join(" -> ", loop.Select(n => $"{n.Name} (line {n.SourceLine})"))} " +
            $"-> {current.Name}. Break the loop by changing one of these bases.");
    }

    private static void CheckMountPoints(string source, List<BlockDeviceNode> ordered, Dictionary<string, BlockDeviceNode> byName)
    {
        var seen = new Dictionary<string, MountNode>(StringComparer.Ordinal);
        foreach (var mount in ordered.OfType<MountNode>().OrderBy(m => m.SourceLine))
        {
            var swap = byName[mount.Base] is MkfsNode { Type: FilesystemType.Swap };
            if (swap != (mount.MountPoint == MountNode.NoMountPoint))
            {
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, source, mount, swap
                    ? $"'{mount.Base}' is swap, which is activated, not mounted; write 'mount_point: none'."
                    : $"'mount_point: none' is for swap, but '{mount.Base}' is not swap; give an absolute path such as /data.");
            }
            if (swap)
                continue;
            if (!seen.TryAdd(mount.MountPoint, mount))
            {
                var first = seen[mount.MountPoint];
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceDuplicateMountPoint, source, mount,
                    $"the mount point '{mount.MountPoint}' is already taken by {first.Describe()} on line {first.SourceLine}; " +
                    "one filesystem per mount point. Change one of them.");
            }
        }
    }

    private static void CheckLabels(string source, List<BlockDeviceNode> ordered)
    {
        // Boot loaders and fstab find filesystems by LABEL=, so a label that is not unique finds the wrong one.
        var seen = new Dictionary<string, MkfsNode>(StringComparer.Ordinal);
        foreach (var mkfs in ordered.OfType<MkfsNode>().OrderBy(m => m.SourceLine))
        {
            var mountPoint = ordered.OfType<MountNode>().FirstOrDefault(m => m.Base == mkfs.Name)?.MountPoint;
            if (mkfs.Label is { } given && given.Any(char.IsWhiteSpace) && mountPoint is "/" or "/boot")
            {
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, source, mkfs,
                    $"the label '{given}' of the filesystem mounted at {mountPoint} contains a blank: the kernel command line " +
                    "and GRUB find that filesystem by its label, and cannot hold one. Use '-' or '_' instead (other " +
                    "filesystems may have blanks in their labels; fstab then finds them by UUID).");
            }
            if (mkfs.EffectiveLabel is { } label && !seen.TryAdd(label, mkfs))
            {
                var first = seen[label];
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceDuplicateLabel, source, mkfs,
                    $"the filesystem label '{label}' is already used by {first.Describe()} on line {first.SourceLine}" +
                    $"{(mkfs.Label is null ? " (a label defaults to the node's name)" : "")}; fstab and the boot loader find " +
                    "filesystems by label. Give one of them another 'label:'.");
            }
        }
    }
}
