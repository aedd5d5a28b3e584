namespace DiskImageBuilder.Phases;

// TEMPORARY until the helper's version lands.
public static class RunPartsOrder
{
    public static IReadOnlyList<string> ForDirectory(string dir) =>
        [.. Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>()
            .Where(n => System.Text.RegularExpressions.Regex.IsMatch(n, "^[0-9A-Za-z_-]+$"))
            .OrderBy(n => int.TryParse(new string(n.TakeWhile(char.IsDigit).ToArray()), out var v) ? v : 0)
            .ThenBy(n => n, StringComparer.Ordinal)];
}
