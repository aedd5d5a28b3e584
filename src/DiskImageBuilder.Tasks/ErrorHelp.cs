namespace DiskImageBuilder.Tasks;

/// <summary>
/// The help link of a DIBnnnn code: its row in the package's own docs/errors.md (beside tasks/ and Sdk/), as a
/// file URI with the row's anchor, so it works offline and always matches the installed version. The terminal logger
/// shows it with the error. No link when the file is not there (a task assembly run from a build folder).
/// </summary>
internal static class ErrorHelp
{
    private static readonly string? Document = FindDocument();

    public static string? Link(string? code) =>
        Document is null || code is null || !code.StartsWith("DIB", StringComparison.Ordinal)
            ? null
            : $"{Document}#{code.ToLowerInvariant()}";

    private static string? FindDocument()
    {
        // tasks/net10.0/DiskImageBuilder.Tasks.dll → docs/errors.md
        var tasks = Path.GetDirectoryName(typeof(ErrorHelp).Assembly.Location);
        if (string.IsNullOrEmpty(tasks))
            return null;
        var file = Path.GetFullPath(Path.Combine(tasks, "..", "..", "docs", "errors.md"));
        return File.Exists(file) ? new Uri(file).AbsoluteUri : null;
    }
}
