namespace DiskImageBuilder.Elements;

/// <summary>
/// Writes the squashed package lists where the package-installs element's scripts read them:
/// <c>package-installs.d/&lt;phase&gt;.install</c> and <c>.uninstall</c> in the merged hooks, one name per line.
/// </summary>
public static class PackageListFiles
{
    public const string Folder = "package-installs.d";

    public static void Write(string hooksDir, SquashedPackages packages)
    {
        var dir = Path.Combine(hooksDir, Folder);
        Directory.CreateDirectory(dir);
        foreach (var phase in packages.Phases)
        {
            File.WriteAllLines(Path.Combine(dir, phase.Phase + ".install"), phase.Install);
            File.WriteAllLines(Path.Combine(dir, phase.Phase + ".uninstall"), phase.Uninstall);
        }
    }
}
