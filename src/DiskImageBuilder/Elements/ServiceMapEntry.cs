namespace DiskImageBuilder.Elements;

/// <summary>
/// One service of an element's <c>svc-map</c>: the service's name as element scripts use it, and its name
/// per distribution, per package family (redhat, debian, suse...) or by <c>default</c>.
/// </summary>
/// <param name="Service">The name scripts pass to <c>svc-map</c>.</param>
/// <param name="Names">Keys are a distro, a family or <c>default</c>; values the service's name there.</param>
/// <param name="File">The svc-map file the entry comes from.</param>
/// <param name="Line">The entry's 1-based line in <paramref name="File"/>.</param>
public sealed record ServiceMapEntry(string Service, IReadOnlyDictionary<string, string> Names, string File, int Line)
{
    /// <summary>The key whose name applies when neither the distro nor its family is listed.</summary>
    public const string DefaultKey = "default";

    /// <summary>
    /// The service's name on <paramref name="distro"/>: the distro's own entry, else its family's, else
    /// <c>default</c>, else the service name itself, in that order, as DIB's svc-map merge decides.
    /// </summary>
    public string Resolve(string? distro)
    {
        if (distro is not null && Names.TryGetValue(distro, out var name))
            return name;
        if (PkgMap.FamilyOf(distro) is { } family && Names.TryGetValue(family, out name))
            return name;
        return Names.TryGetValue(DefaultKey, out name) ? name : Service;
    }
}
