namespace DiskImageBuilder.Elements;

/// <summary>
/// Whether a name from an element's declarative file can be a file name in the merged hooks, where the
/// svc-map and pkg-map tools look names up one file per name.
/// </summary>
internal static class HookFileName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && name is not ("." or "..") && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal);
}
