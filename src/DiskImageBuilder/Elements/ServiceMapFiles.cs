namespace DiskImageBuilder.Elements;

/// <summary>
/// Writes the svc-map table, resolved for the build's distribution, where the svc-map element's tool reads
/// it: <c>svc-map.d/&lt;service&gt;</c> in the merged hooks, each file holding the service's name there.
/// </summary>
public static class ServiceMapFiles
{
    public const string Folder = "svc-map.d";

    /// <param name="hooksDir">The merged hooks folder (TMP_HOOKS_PATH).</param>
    /// <param name="map">The merged svc-map of all elements.</param>
    /// <param name="distro">DISTRO_NAME, or null when no element sets it (only <c>default</c> entries apply).</param>
    public static void Write(string hooksDir, ServiceMap map, string? distro)
    {
        var dir = Path.Combine(hooksDir, Folder);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        foreach (var (service, name) in map.Resolve(distro))
            File.WriteAllText(Path.Combine(dir, service), name + "\n");
    }
}
