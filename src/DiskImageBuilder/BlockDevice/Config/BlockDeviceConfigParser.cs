using System.Text;
using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using YamlDotNet.RepresentationModel;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// Reads diskimage-builder's block-device YAML, in graph notation (a flat list, each node naming its
/// <c>base</c>), tree notation (nodes nested in the node they build on) or a mix, into one checked
/// <see cref="BlockDeviceConfig"/>. Every error (DIB3003, DIB3010-DIB3019) names the source, the line and the node,
/// and all of them are raised here, before anything is created.
/// </summary>
/// <remarks>
/// Tree notation unfolds as diskimage-builder documents it: a nested node without <c>base</c> gets its parent's
/// name as base, and a node without <c>name</c> is called <c>KIND_BASE</c>. So <c>partitions: [{name: root,
/// mkfs: {mount: {fstab: {}}}}]</c> gives <c>mkfs_root</c>, <c>mount_mkfs_root</c> and
/// <c>fstab_mount_mkfs_root</c>. A partition's base is its partitioning's base (the disk), as in diskimage-builder;
/// the partition itself hangs off the partitioning node in the graph.
/// </remarks>
public static partial class BlockDeviceConfigParser
{
    /// <summary>The node types, i.e. the keys a list entry or a nested node may have.</summary>
    public static IReadOnlyList<string> NodeKinds { get; } =
        [LocalLoopNode.KindName, PartitioningNode.KindName, LvmNode.KindName, MkfsNode.KindName, MountNode.KindName, FstabNode.KindName];

    /// <summary>
    /// Parses and checks <paramref name="yamlText"/>. <paramref name="sourceName"/> is what errors name: the file's
    /// path, or e.g. <c>DIB_BLOCK_DEVICE_CONFIG</c> for inline YAML.
    /// </summary>
    /// <exception cref="DibException">The configuration is malformed or inconsistent; the code says how.</exception>
    public static BlockDeviceConfig Parse(string yamlText, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);

        var entries = Load(yamlText, sourceName);
        var nodes = new List<BlockDeviceNode>();
        foreach (var entry in entries.Children)
        {
            if (entry is not YamlMappingNode { Children.Count: 1 } map)
            {
                throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, sourceName, (int)entry.Start.Line, null,
                    "each entry of the list must be a map with one key, the node type, e.g. '- mkfs: { type: ext4 }'. " +
                    $"The node types are: {string.Join(", ", NodeKinds)}.");
            }
            var (key, value) = map.Children.First();
            var kind = key is YamlScalarNode { Value: { } text } && NodeKinds.Contains(text, StringComparer.Ordinal)
                ? text
                : throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, sourceName, (int)key.Start.Line, null,
                    $"'{(key as YamlScalarNode)?.Value}' is not a node type. The node types are: {string.Join(", ", NodeKinds)}.");
            Read(sourceName, kind, key, value, parent: null, nodes);
        }
        return BlockDeviceConfigValidator.Validate(sourceName, nodes);
    }

    private static YamlSequenceNode Load(string yamlText, string source)
    {
        var documents = YamlFile.Load(yamlText, source, ErrorCodes.BlockDeviceConfigMalformed);
        if (documents.Count == 0 || YamlFile.IsNull(documents[0].RootNode))
        {
            throw new DibException(ErrorCodes.BlockDeviceConfigMalformed,
                $"{source} line 1: the block-device configuration is empty. It must be a list of nodes, starting with " +
                "'- local_loop: { name: image0 }'.", source, 1);
        }
        if (documents.Count > 1)
        {
            var second = documents[1].RootNode;
            throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, source, (int)second.Start.Line, null,
                "a second YAML document ('---') starts here; the configuration is one list. Remove the separator.");
        }
        var root = documents[0].RootNode;
        return root as YamlSequenceNode ?? throw BlockDeviceConfigErrors.At(ErrorCodes.BlockDeviceConfigMalformed, source,
            (int)root.Start.Line, null, "the configuration must be a list of nodes, each line starting with '- ', e.g. '- local_loop: { name: image0 }'.");
    }

    /// <summary>Reads one node and, depth first, the nodes nested in it, appending them in document order.</summary>
    private static void Read(string source, string kind, YamlNode key, YamlNode value, string? parent, List<BlockDeviceNode> output)
    {
        var settings = new NodeSettings(source, key, value, parent is null ? kind : $"{kind} under '{parent}'", allowChildren: true);
        BlockDeviceNode node;
        switch (kind)
        {
            case LocalLoopNode.KindName:
                node = ReadLocalLoop(settings, parent);
                output.Add(node);
                break;
            case PartitioningNode.KindName:
                // Its partitions have children of their own, so it reads all of its nesting itself.
                ReadPartitioning(settings, parent, output);
                return;
            case LvmNode.KindName:
                var lvm = ReadLvm(settings, parent);
                node = lvm[0];
                output.AddRange(lvm);
                break;
            case MkfsNode.KindName:
                node = ReadMkfs(settings, parent);
                output.Add(node);
                break;
            case MountNode.KindName:
                node = ReadMount(settings, parent);
                output.Add(node);
                break;
            case FstabNode.KindName:
                node = ReadFstab(settings, parent);
                output.Add(node);
                break;
            default:
                throw new InvalidOperationException($"No reader for node type '{kind}'.");
        }
        ReadChildren(source, settings, node.Name, output);
    }

    private static void ReadChildren(string source, NodeSettings settings, string parentName, List<BlockDeviceNode> output)
    {
        foreach (var (childKind, childKey, childValue) in settings.Children)
            Read(source, childKind, childKey, childValue, parentName, output);
    }

    /// <summary>The base: written, else the parent in tree notation.</summary>
    private static string? BaseOf(NodeSettings settings, string? parent) => settings.Scalar("base") ?? parent;

    private static string NameOf(NodeSettings settings, string kind, string? baseName)
    {
        var name = settings.Name() ?? (baseName is null ? null : $"{kind}_{baseName}");
        if (name is null)
        {
            throw settings.Error(null, $"needs 'base' (the node it is built on) or 'name'; at the top level write e.g. " +
                $"'- {kind}: {{ base: root }}', or nest it inside the node it is built on.");
        }
        settings.Node = $"{kind} '{name}'";
        return name;
    }

    private static LocalLoopNode ReadLocalLoop(NodeSettings s, string? parent)
    {
        var name = s.RequiredName(LocalLoopNode.OutputImageName);
        s.Node = $"{LocalLoopNode.KindName} '{name}'";
        s.RejectUnknown("name", "size", "directory", "block_size");
        if (parent is not null)
            throw s.Error(null, "an image cannot be nested in another node; list it at the top level.");

        SizeExpression? size = null;
        if (s.Scalar("size") is { } sizeText)
        {
            size = SizeExpression.TryParse(sizeText, out var parsed) && !parsed.IsPercentage
                ? parsed
                : throw s.Error(s.ValueNode("size"), $"size '{sizeText}' is not an absolute size; write e.g. 4GiB, 7.5GiB or 20GB.");
        }

        var blockSize = s.Integer("block_size");
        if (blockSize is not (null or 512 or 4096))
            throw s.Error(s.ValueNode("block_size"), $"block_size {blockSize} is not a sector size; use 512 or 4096.");

        return new LocalLoopNode(name, size, s.Scalar("directory"), blockSize, s.Line);
    }

    private static void ReadPartitioning(NodeSettings s, string? parent, List<BlockDeviceNode> output)
    {
        var baseName = BaseOf(s, parent);
        var name = NameOf(s, PartitioningNode.KindName, baseName);
        s.RejectUnknown("name", "base", "label", "align", "partitions");
        if (baseName is null)
            throw s.Error(null, "needs 'base', the disk to partition, e.g. 'base: image0'.");

        var labelText = s.Required("label", "gpt");
        var label = labelText switch
        {
            "mbr" => PartitionTableLabel.Mbr,
            "gpt" => PartitionTableLabel.Gpt,
            _ => throw s.Error(s.ValueNode("label"), $"label '{labelText}' is not a partition table type; use mbr or gpt."),
        };

        SizeExpression? align = null;
        if (s.Scalar("align") is { } alignText)
        {
            if (label != PartitionTableLabel.Mbr)
                throw s.Error(s.ValueNode("align"), "'align' applies to MBR tables only; GPT partitions are aligned to 1 MiB. Remove it.");
            align = SizeExpression.TryParse(alignText, out var parsed) && !parsed.IsPercentage && parsed.Bytes % 512 == 0
                ? parsed
                : throw s.Error(s.ValueNode("align"), $"align '{alignText}' is not a multiple of 512 bytes; write e.g. 1MiB or 32KiB.");
        }

        var partitions = new List<(PartitionNode Partition, NodeSettings Settings)>();
        foreach (var entry in s.Entries("partitions", "{ name: root, size: 100% }"))
            partitions.Add(ReadPartition(s.Source, entry, name, baseName, label));
        CheckTable(s, label, partitions);

        output.Add(new PartitioningNode(name, baseName, label, align, new ValueList<PartitionNode>(partitions.Select(p => p.Partition)), s.Line));
        output.AddRange(partitions.Select(p => p.Partition));
        ReadChildren(s.Source, s, name, output);
        foreach (var (partition, settings) in partitions)
            ReadChildren(s.Source, settings, partition.Name, output);
    }

    private static (PartitionNode, NodeSettings) ReadPartition(
        string source, YamlNode entry, string partitioning, string disk, PartitionTableLabel label)
    {
        var s = new NodeSettings(source, entry, entry, $"a partition of {PartitioningNode.KindName} '{partitioning}'", allowChildren: true);
        var name = s.RequiredName("root");
        s.Node = $"{PartitionNode.KindName} '{name}'";
        s.RejectUnknown("name", "base", "flags", "size", "type");

        if (s.Scalar("base") is { } written && written != disk)
        {
            throw s.Error(s.ValueNode("base"), $"base '{written}' differs from the disk its partitioning is on ('{disk}'); " +
                "a partition is always on its partitioning's disk. Remove the base, or move the partition.");
        }

        var flags = PartitionFlags.None;
        foreach (var flag in s.List("flags"))
        {
            flags |= flag switch
            {
                "boot" => PartitionFlags.Boot,
                "primary" when label == PartitionTableLabel.Mbr => PartitionFlags.Primary,
                "primary" => throw s.Error(s.ValueNode("flags"), "the flag 'primary' applies to MBR tables only; GPT partitions are all alike. Remove it."),
                _ => throw s.Error(s.ValueNode("flags"), $"'{flag}' is not a partition flag; use boot or primary (MBR only)."),
            };
        }

        var sizeText = s.Required("size", "100%");
        if (!SizeExpression.TryParse(sizeText, out var size))
        {
            throw s.Error(s.ValueNode("size"), $"size '{sizeText}' is not a size; write an absolute size such as 10GiB, 1.75TB " +
                "or 512 (bytes), or a share of the space left such as 100% (more than 0, at most 100).");
        }

        var type = PartitionTypeCode.DefaultFor(label);
        if (s.Scalar("type") is { } typeText && !PartitionTypeCode.TryParse(typeText, label, out type))
        {
            throw s.Error(ErrorCodes.BlockDeviceUnknownPartitionType, s.ValueNode("type"), label == PartitionTableLabel.Mbr
                ? $"type '{typeText}' is not an MBR partition type; write one hex byte other than 00, e.g. 0x83 (Linux), 0x82 (swap), 0xef (EFI)."
                : $"type '{typeText}' is not a known GPT partition type; use one of {string.Join(", ", PartitionTypeCode.GptCodes.Keys)} " +
                  "or write the type GUID.");
        }
        if (label == PartitionTableLabel.Mbr && MbrLayout.IsExtendedType(type.MbrType))
        {
            throw s.Error(ErrorCodes.BlockDeviceUnknownPartitionType, s.ValueNode("type"),
                $"type '{s.Scalar("type")}' is an extended partition's type, which the SDK writes itself around the logical partitions. " +
                "Give the partition its content's type (0x83 Linux, 0x82 swap…), and leave out 'primary' to make it logical.");
        }

        if (label == PartitionTableLabel.Gpt && name.Length > GptLayout.MaxNameLength)
        {
            throw s.Error(s.ValueNode("name"), $"the name has {name.Length} characters; a GPT entry holds {GptLayout.MaxNameLength}, and the " +
                "name is written there. Shorten it.");
        }

        return (new PartitionNode(name, disk, partitioning, flags, size, type, s.Line), s);
    }

    /// <summary>The rules of the table that hold whatever the disk's size (DIB3003).</summary>
    private static void CheckTable(NodeSettings s, PartitionTableLabel label, List<(PartitionNode Partition, NodeSettings Settings)> partitions)
    {
        for (var i = 1; i < partitions.Count; i++)
        {
            var before = partitions[i - 1].Partition;
            if (before.Size.Percent == 100)
            {
                throw BlockDeviceConfigErrors.At(ErrorCodes.PartitionsDoNotFit, s.Source, partitions[i].Partition,
                    $"nothing is left for it: '{before.Name}' before it takes 100% of the space left. " +
                    $"Give '{before.Name}' a smaller share or a size, or move it to the end.");
            }
        }

        if (label == PartitionTableLabel.Gpt)
        {
            if (partitions.Count > GptLayout.MaxPartitions)
            {
                throw BlockDeviceConfigErrors.At(ErrorCodes.PartitionsDoNotFit, s.Source, partitions[GptLayout.MaxPartitions].Partition,
                    $"a GPT holds {GptLayout.MaxPartitions} partitions and this is number {GptLayout.MaxPartitions + 1}. Remove partitions.");
            }
            return;
        }

        // MBR: primaries sit in the table's four slots; any logical partition needs one more slot for the
        // extended partition that chains them, and must come after the primaries.
        var firstLogical = partitions.FindIndex(p => !p.Partition.IsPrimary);
        var primaries = partitions.Count(p => p.Partition.IsPrimary);
        if (firstLogical >= 0 && partitions.Skip(firstLogical).FirstOrDefault(p => p.Partition.IsPrimary).Partition is { } late)
        {
            throw BlockDeviceConfigErrors.At(ErrorCodes.PartitionsDoNotFit, s.Source, late,
                $"a primary partition comes after the logical partition '{partitions[firstLogical].Partition.Name}'; on MBR the " +
                "primary partitions come first. Move it up, or drop its 'primary' flag.");
        }
        var slots = firstLogical >= 0 ? MbrLayout.MaxPrimaryPartitions - 1 : MbrLayout.MaxPrimaryPartitions;
        if (primaries > slots)
        {
            throw BlockDeviceConfigErrors.At(ErrorCodes.PartitionsDoNotFit, s.Source, partitions[slots].Partition,
                $"an MBR holds {MbrLayout.MaxPrimaryPartitions} primary partitions{(firstLogical >= 0 ? ", one of them taken by the extended partition that holds the logical ones," : "")} " +
                $"and this is primary number {slots + 1}. Drop 'primary' from partitions that can be logical, or use a GPT ('label: gpt').");
        }
    }

    private static List<BlockDeviceNode> ReadLvm(NodeSettings s, string? parent)
    {
        var bases = s.Has("base") ? s.List("base") : parent is null ? ValueList<string>.Empty : [parent];
        var name = s.Name() ?? (bases.Count > 0 ? $"{LvmNode.KindName}_{bases[0]}" : LvmNode.KindName);
        s.Node = $"{LvmNode.KindName} '{name}'";
        s.RejectUnknown("name", "base", "pvs", "vgs", "lvs");

        var pvs = s.Entries("pvs", "{ name: pv, base: root }").Select(entry =>
        {
            var e = LvmEntry(s, entry, "pvs", "name", "base", "options");
            return new LvmPhysicalVolume(e.Name, e.Settings.Required("base", "root"), Options(e.Settings, "options"), e.Settings.Line);
        }).ToList();

        var vgs = s.Entries("vgs", "{ name: vg, base: [ pv ] }").Select(entry =>
        {
            var e = LvmEntry(s, entry, "vgs", "name", "base", "options");
            var members = e.Settings.List("base");
            if (members.Count == 0)
                throw e.Settings.Error(null, "needs 'base', the physical volumes it spans, e.g. 'base: [ pv ]'.");
            return new LvmVolumeGroup(e.Name, members, Options(e.Settings, "options"), e.Settings.Line);
        }).ToList();

        var lvs = s.Entries("lvs", "{ name: lv_root, base: vg, size: 2G }").Select(entry =>
        {
            var e = LvmEntry(s, entry, "lvs", "name", "base", "size", "extents", "type", "thin-pool", "options");
            var settings = e.Settings;
            var size = settings.Scalar("size");
            var extents = settings.Scalar("extents");
            if (size is null == extents is null)
            {
                throw settings.Error(null, size is null
                    ? "needs 'size' (lvcreate -L, e.g. 1800M) or 'extents' (lvcreate -l, e.g. 50%VG)."
                    : "has both 'size' and 'extents'; lvcreate takes one of them. Remove one.");
            }
            var type = settings.Scalar("type");
            if (type is not (null or LvmLogicalVolume.ThinPoolType or LvmLogicalVolume.ThinType))
                throw settings.Error(settings.ValueNode("type"), $"type '{type}' is not a volume type; use thin-pool or thin, or leave it out.");
            var pool = settings.Scalar("thin-pool");
            if (type == LvmLogicalVolume.ThinType && pool is null)
                throw settings.Error(settings.ValueNode("type"), "a thin volume needs 'thin-pool', the pool volume it lives in.");
            if (type != LvmLogicalVolume.ThinType && pool is not null)
                throw settings.Error(settings.ValueNode("thin-pool"), "'thin-pool' applies to volumes with 'type: thin' only.");
            return new LvmLogicalVolume(e.Name, settings.Required("base", "vg"), size, extents, type, pool, Options(settings, "options"), settings.Line);
        }).ToList();

        return [new LvmNode(name, bases, [.. pvs], [.. vgs], [.. lvs], s.Line), .. pvs, .. vgs, .. lvs];
    }

    private static (string Name, NodeSettings Settings) LvmEntry(NodeSettings lvm, YamlNode entry, string list, params string[] keys)
    {
        var s = new NodeSettings(lvm.Source, entry, entry, $"an entry of '{list}' in {lvm.Node}", allowChildren: true);
        var name = s.RequiredName(list == "lvs" ? "lv_root" : list[..2]);
        s.Node = $"{(list == "pvs" ? LvmPhysicalVolume.KindName : list == "vgs" ? LvmVolumeGroup.KindName : LvmLogicalVolume.KindName)} '{name}'";
        s.RejectChildren();
        s.RejectUnknown(keys);
        return (name, s);
    }

    /// <summary>Program arguments: a list, or one string split at white space as diskimage-builder splits <c>opts</c>.</summary>
    private static ValueList<string> Options(NodeSettings s, string key) =>
        s.ValueNode(key) is YamlSequenceNode
            ? s.List(key)
            : s.Scalar(key) is { } text ? [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)] : ValueList<string>.Empty;

    private static MkfsNode ReadMkfs(NodeSettings s, string? parent)
    {
        var baseName = BaseOf(s, parent);
        var name = NameOf(s, MkfsNode.KindName, baseName);
        s.RejectUnknown("name", "base", "type", "label", "uuid", "opts");
        if (baseName is null)
            throw s.Error(null, "needs 'base', the block device to format, e.g. 'base: root'.");

        FilesystemType? type = null;
        if (s.Scalar("type") is { } typeText)
        {
            type = FilesystemTypes.TryParse(typeText, out var parsed)
                ? parsed
                : throw s.Error(ErrorCodes.BlockDeviceUnknownFilesystem, s.ValueNode("type"),
                    $"'{typeText}' is not a filesystem this SDK makes; use one of {string.Join(", ", FilesystemTypes.Names)}.");
        }
        else if (name != MkfsNode.RootName)
        {
            throw s.Error(null, $"needs 'type', one of {string.Join(", ", FilesystemTypes.Names)}. Only '{MkfsNode.RootName}' may leave it " +
                "out, to take the build's root filesystem type.");
        }

        var label = s.Scalar("label");
        var node = new MkfsNode(name, baseName, type, label, null, Options(s, "opts"), s.Line);
        if (node.EffectiveLabel is { } effective)
            CheckLabel(s, node, effective);
        return node with { Uuid = Uuid(s, type) };
    }

    private static void CheckLabel(NodeSettings s, MkfsNode node, string label)
    {
        var at = s.ValueNode("label");
        var origin = node.Label is null ? $"the label defaults to the node's name, '{label}'," : $"the label '{label}'";
        if (label.Any(char.IsControl))
            throw s.Error(at, $"{origin} contains a control character. Give a 'label:' of printable characters.");
        if (node.Type is { } type && Encoding.UTF8.GetByteCount(label) > type.MaxLabelBytes())
        {
            throw s.Error(ErrorCodes.BlockDeviceLabelTooLong, at,
                $"{origin} is {Encoding.UTF8.GetByteCount(label)} bytes, and {type.Name()} labels hold {type.MaxLabelBytes()}. " +
                $"Give a 'label:' of at most {type.MaxLabelBytes()} bytes.");
        }
    }

    private static string? Uuid(NodeSettings s, FilesystemType? type)
    {
        if (s.Scalar("uuid") is not { } uuid)
            return null;
        if (type == FilesystemType.Vfat)
        {
            return VolumeId().IsMatch(uuid)
                ? uuid.ToUpperInvariant()
                : throw s.Error(s.ValueNode("uuid"), $"uuid '{uuid}' is not a FAT volume id; write 8 hex digits as XXXX-XXXX.");
        }
        return Guid.TryParseExact(uuid, "D", out var guid)
            ? guid.ToString("D")
            : throw s.Error(s.ValueNode("uuid"), $"uuid '{uuid}' is not a UUID; write 8-4-4-4-12 hex digits, or leave it out for a random one.");
    }

    private static MountNode ReadMount(NodeSettings s, string? parent)
    {
        var baseName = BaseOf(s, parent);
        var name = NameOf(s, MountNode.KindName, baseName);
        s.RejectUnknown("name", "base", "mount_point");
        if (baseName is null)
            throw s.Error(null, "needs 'base', the filesystem (mkfs node) to mount, e.g. 'base: mkfs_root'.");

        var written = s.Required("mount_point", "/");
        if (written == MountNode.NoMountPoint)
            return new MountNode(name, baseName, written, s.Line);
        var segments = written.Split('/');
        if (!written.StartsWith('/') || written.Any(char.IsWhiteSpace) || segments.Skip(1).SkipLast(1).Any(x => x is "" or "." or "..")
            || segments[^1] is "." or "..")
        {
            throw s.Error(s.ValueNode("mount_point"), $"mount_point '{written}' is not an absolute path such as / or /var/log " +
                "(no spaces, no empty, '.' or '..' parts); swap writes 'none'.");
        }
        var mountPoint = written.Length > 1 ? written.TrimEnd('/') : written;
        return new MountNode(name, baseName, mountPoint, s.Line);
    }

    private static FstabNode ReadFstab(NodeSettings s, string? parent)
    {
        var baseName = BaseOf(s, parent);
        var name = NameOf(s, FstabNode.KindName, baseName);
        s.RejectUnknown("name", "base", "options", "dump-freq", "fsck-passno");
        if (baseName is null)
            throw s.Error(null, "needs 'base', the mount it describes, e.g. 'base: mount_mkfs_root'.");

        var options = s.Scalar("options") ?? FstabNode.DefaultOptions;
        if (options.Any(char.IsWhiteSpace))
            throw s.Error(s.ValueNode("options"), $"options '{options}' contain white space; fstab separates fields with it. Join options with ','.");
        return new FstabNode(name, baseName, options,
            s.Integer("dump-freq") ?? FstabNode.DefaultDumpFreq, s.Integer("fsck-passno") ?? FstabNode.DefaultFsckPassno, s.Line);
    }

    [GeneratedRegex("^[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}$")]
    private static partial Regex VolumeId();
}
