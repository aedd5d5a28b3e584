namespace DiskImageBuilder.Phases;

/// <summary>
/// The user's element environment: every DIB_* variable of the build process, then the project's
/// ElementEnvironment items, which win.
/// </summary>
public static class UserVariables
{
    public static IReadOnlyDictionary<string, string> Collect(IReadOnlyDictionary<string, string> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("DIB_", StringComparison.Ordinal) && entry.Value is string value)
                result[name] = value;
        }
        foreach (var (name, value) in items)
            result[name] = value;
        return result;
    }
}
