namespace DiskImageBuilder.Elements;

/// <summary>
/// The declarative element files that diskimage-builder's svc-map and pkg-map elements evaluate in
/// extra-data.d: the SDK evaluates them after that phase, against the environment a script sees, and
/// writes the results into the merged hooks for the elements' <c>svc-map</c> and <c>pkg-map</c> tools.
/// Each table is written only when its element is part of the build, as in DIB.
/// </summary>
public static class DeclarativeHooks
{
    /// <summary>The element whose tool reads <see cref="ServiceMapFiles.Folder"/>.</summary>
    public const string ServiceMapElement = "svc-map";

    /// <summary>The element whose tool reads <see cref="PkgMapFiles.Folder"/>.</summary>
    public const string PkgMapElement = "pkg-map";

    /// <summary>
    /// Writes the svc-map and pkg-map tables for the distribution in <paramref name="environment"/>
    /// (DISTRO_NAME, DIB_RELEASE). Throws DIB2007 with file and line for a malformed svc-map or pkg-map.
    /// </summary>
    /// <param name="hooksDir">The merged hooks folder (TMP_HOOKS_PATH outside the chroot).</param>
    /// <param name="elements">The resolved elements.</param>
    /// <param name="environment">The environment a script sees, environment.d sourced.</param>
    public static void Write(string hooksDir, ResolvedElementSet elements, IReadOnlyDictionary<string, string> environment)
    {
        var distro = NonEmpty(environment.GetValueOrDefault("DISTRO_NAME"));
        if (elements.Find(ServiceMapElement) is not null)
            ServiceMapFiles.Write(hooksDir, ServiceMap.Load(elements), distro);
        if (elements.Find(PkgMapElement) is not null)
            PkgMapFiles.Write(hooksDir, elements, distro, NonEmpty(environment.GetValueOrDefault("DIB_RELEASE")));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
