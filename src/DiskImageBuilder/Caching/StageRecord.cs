using System.Text.Json;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.Caching;

/// <summary>
/// The inputs of each stage at the last build of a project, kept in its intermediate folder, so the
/// next build can say which input made a stage run again.
/// </summary>
public sealed record StageRecord(Dictionary<string, SortedDictionary<string, string>> Inputs)
{
    public static StageRecord? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));
    }

    /// <summary>The first input that differs from the last build's, as a sentence for the log.</summary>
    public static string FirstDifference(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string> now)
    {
        if (before is null)
            return "no earlier build of this project";
        foreach (var (name, hash) in now)
        {
            if (!before.TryGetValue(name, out var old))
                return $"{name} added";
            if (old != hash)
                return $"{name} changed";
        }
        var removed = before.Keys.FirstOrDefault(k => !now.ContainsKey(k));
        return removed is not null ? $"{removed} removed" : "an earlier stage ran";
    }
}
