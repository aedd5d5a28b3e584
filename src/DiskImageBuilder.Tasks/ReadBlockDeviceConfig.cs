using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Chooses the block-device configuration (the BlockDeviceConfig property, DIB_BLOCK_DEVICE_CONFIG, an element's
/// block-device-ARCH.yaml or block-device-default.yaml, or the filesystem-only layout), reads and checks it, and
/// checks that this version builds it: every configuration error stops the build here, before any stage runs and
/// before any image file exists. The YAML is copied into the intermediate folder, where CreateBlockDevice reads it
/// and where a change of it is noticed.
/// </summary>
public sealed class ReadBlockDeviceConfig : DibTask
{
    /// <summary>The BlockDeviceConfig property: a file path or the YAML itself; empty when unset.</summary>
    public string? BlockDeviceConfig { get; set; }

    /// <summary>The resolved elements in build order, with their Path metadata.</summary>
    [Required]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    [Required]
    public string TargetArch { get; set; } = "";

    [Required]
    public string ProjectDirectory { get; set; } = "";

    [Required]
    public string RootLabel { get; set; } = "";

    /// <summary>The root filesystem's type when mkfs_root does not say (ext4 by default).</summary>
    [Required]
    public string RootFilesystemType { get; set; } = "";

    /// <summary>The ext3/ext4 root filesystem's journal (e.g. 64MiB); empty for 64 MiB.</summary>
    public string? ImageJournalSize { get; set; }

    /// <summary>The whole disk's size when the user fixed it: partitions that cannot fit it fail here, before any work.</summary>
    public string? ImageSize { get; set; }

    /// <summary>Where the chosen YAML is copied (rewritten only when it changed).</summary>
    [Required]
    public string ConfigCopy { get; set; } = "";

    /// <summary>What the configuration was read from, for messages.</summary>
    [Output]
    public string ConfigSource { get; set; } = "";

    /// <summary>The layout's variables for element scripts: Identity = name, metadata Value.</summary>
    [Output]
    public ITaskItem[] Environment { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var elements = ResolvedElements.Select(e => new Element(e.ItemSpec, e.GetMetadata("Path"), [], [])).ToList();
        var source = BlockDeviceConfigSource.Select(BlockDeviceConfig, System.Environment.GetEnvironmentVariable(BlockDeviceConfigSource.EnvironmentVariable),
            TargetArch, elements, File.Exists, ProjectDirectory);
        var text = source.FilePath is null ? source.Text ?? "" : ReadFile(source.FilePath);
        var config = BlockDeviceConfigParser.Parse(text, source.SourceName);
        var root = Settings(RootFilesystemType, RootLabel, null, ImageJournalSize);
        LayoutSupport.Check(config, root);
        if (!string.IsNullOrWhiteSpace(ImageSize))
            BlockDeviceSizes.Resolve(config, FilesystemSizing.RoundUpToMiB(SizeParser.Parse(ImageSize, "ImageSize")));

        foreach (var ignored in source.Ignored)
            log.Detail($"Block device: {ignored} is not used; an earlier element's file wins");
        log.Progress($"Block device: layout from {source.SourceName}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ConfigCopy))!);
        if (!File.Exists(ConfigCopy) || File.ReadAllText(ConfigCopy) != text)
            File.WriteAllText(ConfigCopy, text);
        ConfigSource = source.SourceName;
        Environment = [.. LayoutEnvironment.For(config, root).Select(v =>
        {
            var item = new Microsoft.Build.Utilities.TaskItem(v.Key);
            item.SetMetadata("Value", v.Value);
            return (ITaskItem)item;
        })];
        return Task.CompletedTask;
    }

    /// <summary>The build's root filesystem settings from the properties.</summary>
    internal static RootFilesystemSettings Settings(string type, string label, string? uuid = null, string? journalSize = null)
    {
        long? journal = string.IsNullOrWhiteSpace(journalSize) ? null : SizeParser.Parse(journalSize, "ImageJournalSize");
        if (journal < 4 * FilesystemSizing.MiB)
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"ImageJournalSize '{journalSize}' is below the 4 MiB an ext journal needs at least. Give a size such as 64MiB, or leave it empty.");
        if (!FilesystemTypes.TryParse(type.Trim().ToLowerInvariant(), out var parsed))
            throw new DibException(ErrorCodes.BlockDeviceUnknownFilesystem,
                $"RootFilesystemType '{type}' is not a filesystem the SDK makes. Use ext4 (the default), ext3, ext2, xfs or btrfs.");
        if (parsed is FilesystemType.Swap or FilesystemType.Vfat)
            throw new DibException(ErrorCodes.BlockDeviceUnknownFilesystem,
                $"RootFilesystemType '{type}' cannot hold a Linux root filesystem. Use ext4 (the default), ext3, ext2, xfs or btrfs.");
        if (!string.IsNullOrWhiteSpace(uuid) && !Guid.TryParse(uuid, out _))
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"RootFilesystemUuid '{uuid}' is not a UUID. Write it as 8-4-4-4-12 hex digits, or leave it empty for a random one.");
        return new RootFilesystemSettings(parsed, label, string.IsNullOrWhiteSpace(uuid) ? null : uuid.Trim(), journal is { } bytes ? FilesystemSizing.RoundUpToMiB(bytes) : null);
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DibException(ErrorCodes.BlockDeviceConfigNotFound,
                $"The block-device configuration {path} cannot be read: {e.Message} Make it readable by the user running the build.", path, inner: e);
        }
    }
}
