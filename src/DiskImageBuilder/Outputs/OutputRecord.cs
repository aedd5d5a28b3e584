using System.Text.Json;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// What the build knows about one output file (size, SHA-256), kept in the intermediate folder so a
/// build that skips conversion can still return DiskImageOutput items with their metadata.
/// </summary>
public sealed record OutputRecord(string Path, string Format, long Size, string Sha256, DateTime WrittenUtc)
{
    public static string RecordPath(string recordsDir, string outputPath) =>
        System.IO.Path.Combine(recordsDir, System.IO.Path.GetFileName(outputPath) + ".json");

    public void Save(string recordsDir)
    {
        Directory.CreateDirectory(recordsDir);
        File.WriteAllText(RecordPath(recordsDir, Path), JsonSerializer.Serialize(this));
    }

    /// <summary>The record of <paramref name="outputPath"/>, or null when missing or older than the file.</summary>
    public static OutputRecord? Load(string recordsDir, string outputPath)
    {
        var path = RecordPath(recordsDir, outputPath);
        if (!File.Exists(path) || !File.Exists(outputPath))
            return null;
        var record = JsonSerializer.Deserialize<OutputRecord>(File.ReadAllText(path));
        return record is not null && record.WrittenUtc == File.GetLastWriteTimeUtc(outputPath) ? record : null;
    }

    /// <summary>Size and SHA-256 of an output that exists (from its record, or computed when the record is missing or stale).</summary>
    public static async Task<(long Size, string Sha256)?> DescribeAsync(string recordsDir, string outputPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(outputPath))
            return null;
        var sha256 = Load(recordsDir, outputPath)?.Sha256
            ?? (await Checksums.WriteAsync(outputPath, [], cancellationToken))["sha256"];
        return (new FileInfo(outputPath).Length, sha256);
    }
}
