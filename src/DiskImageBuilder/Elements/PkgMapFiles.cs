using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Writes every element's pkg-map, resolved for the build's distribution and release, where the pkg-map
/// element's tool reads it: <c>pkg-map.d/&lt;element&gt;/&lt;name&gt;</c> in the merged hooks. A file holds the
/// distribution's package name(s), or nothing when the mapping drops the package; a name that no section
/// for this distribution mentions has no file, and an element without a pkg-map has no folder.
/// </summary>
public static class PkgMapFiles
{
    public const string Folder = "pkg-map.d";

    /// <param name="hooksDir">The merged hooks folder (TMP_HOOKS_PATH).</param>
    /// <param name="elements">The resolved elements; each one's own pkg-map is written under its name.</param>
    /// <param name="distro">DISTRO_NAME, or null (only <c>default</c> entries apply).</param>
    /// <param name="release">DIB_RELEASE, or null.</param>
    public static void Write(string hooksDir, ResolvedElementSet elements, string? distro, string? release)
    {
        var dir = Path.Combine(hooksDir, Folder);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var family = PkgMap.FamilyOf(distro);
        foreach (var element in elements.Elements)
        {
            var file = Path.Combine(element.Path, PkgMap.FileName);
            if (!File.Exists(file))
                continue;
            var map = PkgMap.Load(element.Path);
            var elementDir = Directory.CreateDirectory(Path.Combine(dir, element.Name)).FullName;
            foreach (var name in map.MappedNames)
            {
                if (!HookFileName.IsValid(name))
                {
                    throw new DibException(ErrorCodes.BadPackageInstalls,
                        $"{file} maps '{name}', which cannot be a package name: it may not contain '/' or be '.' or '..'. Rename it.",
                        file);
                }
                if (map.TryMap(name, distro, family, release, out var mapped))
                    File.WriteAllText(Path.Combine(elementDir, name), mapped is null ? "" : mapped + "\n");
            }
        }
    }
}
