using System.Security.Cryptography;
using System.Text;

namespace DiskImageBuilder.Caching;

/// <summary>A stage's cache key: SHA-256 over the previous stage's key and this stage's inputs.</summary>
public static class StageKey
{
    public static string Compute(string? previousKey, string stage, IReadOnlyDictionary<string, string> inputs)
    {
        var text = new StringBuilder();
        text.Append("stage ").Append(stage).Append('\n');
        text.Append("previous ").Append(previousKey ?? "none").Append('\n');
        foreach (var (name, hash) in inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
            text.Append(name).Append('\t').Append(hash).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
