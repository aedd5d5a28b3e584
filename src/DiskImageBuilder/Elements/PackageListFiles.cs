namespace DiskImageBuilder.Elements;

/// <summary>
/// Writes the squashed package lists where the package-installs element's scripts read them:
/// <c>package-installs.d/&lt;phase&gt;.install</c> and <c>.uninstall</c> in the merged hooks, one name per line, and
/// <c>.owners</c>: each installed name followed by the elements that asked for it.
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
            // "PACKAGE ELEMENT[ ELEMENT...]": the package-installs scripts name the element that asked for
            // a package the distribution does not have (DIB2302).
            File.WriteAllLines(Path.Combine(dir, phase.Phase + ".owners"),
                phase.Install.Select(package => string.Join(' ', [package, .. phase.OwnersOf(package)])));
        }
    }
}
