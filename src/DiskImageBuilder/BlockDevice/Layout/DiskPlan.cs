using System.Text.Json;
using System.Text.Json.Serialization;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.BlockDevice.Layout;

/// <summary>
/// The disk as <see cref="DiskPlanner"/> laid it out from the block-device configuration: its size, its partition
/// table and every filesystem with the byte range it fills. Kept as JSON in the intermediate folder: the partition
/// writers and MakeFilesystems work from it once the tree is final, and the manifests copy it as block-device.json.
/// </summary>
/// <param name="Source">Where the configuration came from (a file, a property, an element, built in).</param>
/// <param name="DiskBytes">The size of image0, a whole number of MiB.</param>
/// <param name="Table">"mbr", "gpt", or "none" when the filesystem fills the whole image.</param>
/// <param name="Partitions">The partitions in table order.</param>
/// <param name="Filesystems">The filesystems in creation order.</param>
/// <param name="Fstab">The lines of the image's /etc/fstab, in mount order.</param>
public sealed record DiskPlan(
    string Source,
    long DiskBytes,
    string Table,
    IReadOnlyList<PartitionPlan> Partitions,
    IReadOnlyList<FilesystemPlan> Filesystems,
    IReadOnlyList<string> Fstab)
{
    /// <summary>The value of <see cref="Table"/> for an MBR.</summary>
    public const string Mbr = "mbr";

    /// <summary>The value of <see cref="Table"/> for a GPT.</summary>
    public const string Gpt = "gpt";

    /// <summary>The value of <see cref="Table"/> when there is no partition table.</summary>
    public const string NoTable = "none";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>MBR only: the alignment unit, which is also the room each logical partition's boot record takes.</summary>
    public long AlignBytes { get; init; } = PartitioningNode.DefaultAlignBytes;

    /// <summary>MBR with logical partitions: the extended partition that holds them, in 512-byte sectors.</summary>
    public long? ExtendedStartSector { get; init; }

    /// <summary>MBR with logical partitions: the extended partition's size in sectors.</summary>
    public long? ExtendedSectorCount { get; init; }

    /// <summary>The BIOS boot partition (GPT type EF02) that receives GRUB's core image, or null.</summary>
    [JsonIgnore]
    public PartitionPlan? BiosBootPartition => Partitions.FirstOrDefault(p => p.IsBiosBoot);

    /// <summary>Where the first partition starts, in 512-byte sectors; the BIOS core image must end before it on MBR.</summary>
    [JsonIgnore]
    public long FirstPartitionSector => Partitions.Count == 0 ? 0 : Partitions.Min(p => p.BootRecordSector ?? p.StartSector);

    /// <summary>Writes the plan atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    /// <summary>Reads a plan that <see cref="Save"/> wrote.</summary>
    public static DiskPlan Load(string path) =>
        JsonSerializer.Deserialize<DiskPlan>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} holds no disk layout.");
}
