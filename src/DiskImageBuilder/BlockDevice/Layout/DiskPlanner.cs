using System.Globalization;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// Turns a checked block-device configuration and what the tree needs into a <see cref="DiskPlan"/>: the disk's size
/// (ImageSize, image0's own size, or the smallest disk on which every filesystem holds its part of the tree), each
/// partition's place, each filesystem's byte range, label and UUID, and the fstab lines. Pure: it measures nothing
/// and writes nothing.
/// </summary>
public static class DiskPlanner
{
    private const int MaxGrowRounds = 64;

    /// <param name="config">The layout.</param>
    /// <param name="root">The build's root filesystem settings, for mkfs_root.</param>
    /// <param name="usage">What the tree holds below each mount point (see <see cref="MountedContent.MeasureAsync"/>).</param>
    /// <param name="imageSize">ImageSize when the user fixed it, else null.</param>
    /// <param name="extraBytes">ImageExtraSize: free space added to the root filesystem.</param>
    /// <param name="ids">When set (SOURCE_DATE_EPOCH), the filesystem UUIDs and GPT partition GUIDs the layout leaves open
    /// come from it instead of at random.</param>
    /// <param name="sizeMultiple">A computed disk is rounded up to a multiple of this (a cloud that imports whole GiB); a
    /// fixed size that is not a multiple is DIB1010.</param>
    /// <exception cref="DibException">
    /// DIB3002 when a filesystem cannot hold its content in the size the configuration or ImageSize gives it;
    /// DIB3003 when partitions do not fit; DIB3001 for layouts this version does not build.
    /// </exception>
    public static DiskPlan Plan(BlockDeviceConfig config, RootFilesystemSettings root, IReadOnlyDictionary<string, TreeUsage> usage,
        long? imageSize, long extraBytes, long sizeMultiple = FilesystemSizing.MiB, SeededIdentifiers? ids = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        LayoutSupport.Check(config, root);
        var image = config.NodesOf<LocalLoopNode>().Single();
        var filesystems = config.NodesOf<MkfsNode>().Select(mkfs => Describe(config, mkfs, root, usage, extraBytes, ids)).ToList();
        var table = config.NodesOf<PartitioningNode>().SingleOrDefault();

        var fixedBytes = imageSize ?? image.Size?.Bytes;
        long diskBytes;
        IReadOnlyDictionary<string, long> sizes;
        if (fixedBytes is { } given)
        {
            diskBytes = FilesystemSizing.RoundUpToMiB(given);
            if (diskBytes % sizeMultiple != 0)
                throw new DibException(ErrorCodes.CloudDiskSize,
                    $"The disk is {diskBytes / FilesystemSizing.MiB} MiB ({(imageSize is not null ? "ImageSize" : $"the size of '{image.Name}'")}), and an output " +
                    $"of this build needs a multiple of {sizeMultiple / FilesystemSizing.MiB} MiB (the gce format: Compute Engine imports whole GiB). " +
                    $"Set ImageSize to {(diskBytes + sizeMultiple - 1) / sizeMultiple * sizeMultiple / FilesystemSizing.MiB}MiB, or leave it unset to size the disk from the tree.");
            sizes = BlockDeviceSizes.Resolve(config, diskBytes);
            foreach (var fs in filesystems)
                CheckFits(config, fs, sizes[fs.Mkfs.Base], imageSize is not null ? "ImageSize" : $"the size of '{image.Name}'", fixedDisk: true);
        }
        else
        {
            (diskBytes, sizes) = Grow(config, table, filesystems);
            if (diskBytes % sizeMultiple != 0)
            {
                diskBytes = (diskBytes + sizeMultiple - 1) / sizeMultiple * sizeMultiple;
                sizes = BlockDeviceSizes.Resolve(config, diskBytes);
            }
        }

        var (partitions, extended) = table is null ? ([], null) : Place(table, diskBytes, sizes, ids);
        var plans = filesystems.Select(fs =>
        {
            var partition = partitions.FirstOrDefault(p => p.Name == fs.Mkfs.Base);
            var (offset, size) = partition is null ? (0L, diskBytes) : (partition.OffsetBytes, partition.SizeBytes);
            return new FilesystemPlan(fs.Mkfs.Name, fs.Mkfs.Base, fs.Type, offset, size, fs.Label, fs.Uuid,
                fs.Options, fs.MountPoint, fs.Inodes);
        }).ToList();
        return new DiskPlan(config.SourceName, diskBytes, table is null ? DiskPlan.NoTable : table.Label == PartitionTableLabel.Mbr ? DiskPlan.Mbr : DiskPlan.Gpt,
            partitions, plans, FstabLines(config, plans))
        {
            AlignBytes = table is { Label: PartitionTableLabel.Mbr } ? table.AlignBytes : GptLayout.AlignmentBytes,
            ExtendedStartSector = extended?.Start,
            ExtendedSectorCount = extended?.Count,
        };
    }

    private sealed record Wanted(MkfsNode Mkfs, FilesystemType Type, string? Label, string Uuid, string? MountPoint, IReadOnlyList<string> Options,
        long NeededBytes, long Inodes);

    private static Wanted Describe(BlockDeviceConfig config, MkfsNode mkfs, RootFilesystemSettings root,
        IReadOnlyDictionary<string, TreeUsage> usage, long extraBytes, SeededIdentifiers? ids)
    {
        var type = mkfs.Type ?? root.Type;
        var label = mkfs.IsRoot && mkfs.Label is null ? root.Label : mkfs.EffectiveLabel;
        if (label is not null && type == FilesystemType.Vfat)
            label = label.ToUpperInvariant();
        var uuid = mkfs.Uuid ?? (mkfs.IsRoot ? root.Uuid : null) ?? NewUuid(type, ids, mkfs.Name);
        var mountPoint = config.NodesOf<MountNode>().FirstOrDefault(m => m.Base == mkfs.Name)?.MountPoint;
        if (mountPoint == MountNode.NoMountPoint || type == FilesystemType.Swap)
            mountPoint = null;
        var content = mountPoint is null ? new TreeUsage(0, 1) : usage.GetValueOrDefault(mountPoint) ?? new TreeUsage(0, 1);
        var extra = mountPoint == "/" ? extraBytes : 0;
        var journal = (mkfs.IsRoot ? root.JournalBytes : null) ?? FilesystemSizing.JournalBytes;
        IReadOnlyList<string> options = [.. mkfs.Options];
        var needed = FilesystemSizing.Compute(type, content, extra, journal);
        // A journal the user set (DIB_JOURNAL_SIZE) goes to mke2fs, unless the YAML's options set one; mke2fs wants the
        // filesystem at least twice its journal.
        if (mkfs.IsRoot && root.JournalBytes is { } fixedJournal && type is FilesystemType.Ext3 or FilesystemType.Ext4
            && !options.Any(o => o.StartsWith("-J", StringComparison.Ordinal)))
        {
            options = [.. options, "-J", $"size={fixedJournal / FilesystemSizing.MiB}"];
            needed = Math.Max(needed, 2 * fixedJournal + 16 * FilesystemSizing.MiB);
        }
        return new Wanted(mkfs, type, label, uuid, mountPoint, options, needed,
            type is FilesystemType.Ext2 or FilesystemType.Ext3 or FilesystemType.Ext4 ? FilesystemSizing.InodeCount(content) : 0);
    }

    private static string NewUuid(FilesystemType type, SeededIdentifiers? ids, string name)
    {
        if (ids is not null)
            return type == FilesystemType.Vfat ? ids.VfatVolumeId($"filesystem {name}") : ids.Guid($"filesystem {name}").ToString();
        if (type != FilesystemType.Vfat)
            return Guid.NewGuid().ToString();
        var id = Guid.NewGuid().ToString("N").ToUpperInvariant();
        return $"{id[..4]}-{id[4..8]}";
    }

    // The smallest whole-MiB disk on which every filesystem holds its content: start from the sum of the fixed
    // partitions and what the others need, then grow by each shortfall (scaled up for percentage shares).
    private static (long, IReadOnlyDictionary<string, long>) Grow(BlockDeviceConfig config, PartitioningNode? table, List<Wanted> filesystems)
    {
        long disk;
        if (table is null)
        {
            disk = filesystems.Sum(fs => fs.NeededBytes);
        }
        else
        {
            var unit = table.Label == PartitionTableLabel.Mbr ? table.AlignBytes : GptLayout.AlignmentBytes;
            disk = 2 * unit + 2 * FilesystemSizing.MiB;
            foreach (var partition in table.Partitions)
            {
                var need = filesystems.Where(fs => fs.Mkfs.Base == partition.Name).Sum(fs => fs.NeededBytes);
                disk += (partition.IsPrimary || table.Label == PartitionTableLabel.Gpt ? 0 : unit)
                    + (partition.Size.IsPercentage ? Math.Max(unit, need) : (partition.Size.Bytes + unit - 1) / unit * unit);
            }
        }
        disk = FilesystemSizing.RoundUpToMiB(Math.Max(disk, FilesystemSizing.MiB));

        for (var round = 0; round < MaxGrowRounds; round++)
        {
            var sizes = BlockDeviceSizes.Resolve(config, disk);
            long grow = 0;
            foreach (var fs in filesystems)
            {
                var have = sizes[fs.Mkfs.Base];
                if (have >= fs.NeededBytes)
                    continue;
                var partition = config.Find(fs.Mkfs.Base) as PartitionNode;
                if (partition is { Size.IsPercentage: false })
                    CheckFits(config, fs, have, $"partition '{partition.Name}' ({partition.Size})", fixedDisk: false);
                var share = partition?.Size.Percent is { } percent ? (double)percent / 100 : 1.0;
                grow = Math.Max(grow, (long)Math.Ceiling((fs.NeededBytes - have) / share) + FilesystemSizing.MiB);
            }
            if (grow == 0)
                return (disk, sizes);
            disk = FilesystemSizing.RoundUpToMiB(disk + grow);
        }
        throw new DibException(ErrorCodes.UnsupportedLayout,
            $"No disk size lets every filesystem of {config.SourceName} hold its content (tried up to {disk / FilesystemSizing.MiB} MiB). Set ImageSize.");
    }

    private static void CheckFits(BlockDeviceConfig config, Wanted fs, long have, string what, bool fixedDisk)
    {
        if (have >= fs.NeededBytes)
            return;
        var content = fs.MountPoint is null ? "" : $" for what the tree holds at {fs.MountPoint}";
        var fix = fixedDisk
            ? $"Raise {what}, or leave it unset to compute the disk's size from the tree."
            : $"Make the partition larger in {config.SourceName}, or give it a percentage.";
        throw new DibException(ErrorCodes.FilesystemTooSmall,
            $"{fs.Type.Name()} filesystem '{fs.Mkfs.Name}' gets {have / FilesystemSizing.MiB} MiB from {what}, but needs at least {fs.NeededBytes / FilesystemSizing.MiB} MiB{content}. {fix}");
    }

    private static (List<PartitionPlan>, (long Start, long Count)?) Place(PartitioningNode table, long diskBytes, IReadOnlyDictionary<string, long> sizes,
        SeededIdentifiers? ids)
    {
        if (table.Label == PartitionTableLabel.Mbr)
        {
            var placed = MbrLayout.Place(diskBytes, table.AlignBytes, [.. table.Partitions.Select(p =>
                new MbrPartitionRequest(p.Name, sizes[p.Name], p.Type.MbrType, p.IsBoot, p.IsPrimary))]);
            List<PartitionPlan> mbr = [.. placed.Partitions.Select(p => new PartitionPlan(p.Name, p.Number, p.StartSector, p.SectorCount,
                table.Partitions.First(n => n.Name == p.Name).Type.Text, p.Type, Guid.Empty, p.Bootable, p.BootRecordSector is null,
                p.BootRecordSector, Guid.Empty))];
            return (mbr, placed.ExtendedStartSector is { } start && placed.ExtendedSectorCount is { } count ? (start, count) : null);
        }

        var gpt = GptLayout.Plan(diskBytes, [.. table.Partitions.Select(p => new GptPartitionRequest(p.Name, sizes[p.Name],
            p.Type.GptType.ToString(), p.IsBoot ? GptPartitionAttributes.LegacyBiosBootable : 0, ids?.Guid($"partition {p.Name}")))]);
        return ([.. gpt.Select((p, i) => new PartitionPlan(p.Name, i + 1, p.StartLba, p.SectorCount, table.Partitions[i].Type.Text,
            0, p.TypeGuid, (p.Attributes & GptPartitionAttributes.LegacyBiosBootable) != 0, true, null, p.UniqueGuid))], null);
    }

    private static List<string> FstabLines(BlockDeviceConfig config, List<FilesystemPlan> filesystems)
    {
        var lines = new List<(string MountPoint, string Line)>();
        foreach (var fstab in config.NodesOf<FstabNode>())
        {
            var mount = (MountNode)config.Find(fstab.Base)!;
            var fs = filesystems.First(f => f.Node == mount.Base);
            // fstab's fields are split at blanks: a label with one is found by its UUID instead.
            var id = fs.Label is not null && !fs.Label.Any(char.IsWhiteSpace) ? $"LABEL={fs.Label}" : $"UUID={fs.Uuid}";
            var point = fs.Type == FilesystemType.Swap ? "none" : mount.MountPoint;
            lines.Add((point, string.Join(' ', id, point, fs.Type.Name(), fstab.Options,
                fstab.DumpFreq.ToString(CultureInfo.InvariantCulture), fstab.FsckPassno.ToString(CultureInfo.InvariantCulture))));
        }
        // Mount order: a mount point after the one it is inside, as diskimage-builder sorts them.
        return [.. lines.OrderBy(l => l.MountPoint == "none" ? 1 : 0).ThenBy(l => l.MountPoint, StringComparer.Ordinal).Select(l => l.Line)];
    }
}
