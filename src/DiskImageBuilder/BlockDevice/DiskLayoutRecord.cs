using System.Text.Json;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// The disk as CreateBlockDevice laid it out: its size and each partition with its filesystem. Kept
/// as JSON in the intermediate folder: MakeFilesystems fills the partitions from it once the tree is
/// final, and the manifests copy it as block-device.json.
/// </summary>
public sealed record DiskLayoutRecord(string Layout, long DiskBytes, IReadOnlyList<PartitionRecord> Partitions)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public void Save(string path)
    {
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(this, Options));
        File.Move(path + ".partial", path, overwrite: true);
    }

    public static DiskLayoutRecord Load(string path) =>
        JsonSerializer.Deserialize<DiskLayoutRecord>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} holds no disk layout.");
}

/// <summary>One partition of <see cref="DiskLayoutRecord"/> and the filesystem it gets.</summary>
public sealed record PartitionRecord(string Name, long StartSector, long SectorCount, string Type, bool Bootable,
    string Filesystem, string Label, Guid Uuid, string MountPoint, long Inodes);
