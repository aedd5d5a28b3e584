namespace DiskImageBuilder.Phases;

/// <summary>
/// The user's element environment: every DIB_* variable of the build process, then the project's
/// ElementEnvironment items, which win. An item with FromEnvironment="NAME" takes its value from the
/// build's environment variable NAME, read here in the task, so a secret never passes through an
/// MSBuild property (which the binary log records).
/// </summary>
public static class UserVariables
{
    /// <summary>One ElementEnvironment item: a literal value, or the name of an environment variable; Secret masks it in manifests.</summary>
    public sealed record Item(string Name, string Value, string? FromEnvironment = null, bool Secret = false);

    /// <summary>Names that mark a value as secret, as the issue tracker and CI systems treat them.</summary>
    private static readonly string[] SecretMarkers = ["PASSWORD", "SECRET", "TOKEN", "KEY"];

    public static bool LooksSecret(string name) => SecretMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, string> Collect(IEnumerable<Item> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("DIB_", StringComparison.Ordinal) && entry.Value is string value)
                result[name] = value;
        }
        foreach (var item in items)
        {
            result[item.Name] = string.IsNullOrEmpty(item.FromEnvironment)
                ? item.Value
                : Environment.GetEnvironmentVariable(item.FromEnvironment) ?? "";
        }
        return result;
    }

    /// <summary>A SHA-256 over the variables, so that a changed value rebuilds without the value ever appearing in a log or a file.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> variables) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value)))));
}
