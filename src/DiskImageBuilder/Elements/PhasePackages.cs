namespace DiskImageBuilder.Elements;

/// <summary>The distribution packages one phase installs at its start and removes at its end.</summary>
/// <param name="Phase">pre-install.d, install.d or post-install.d.</param>
/// <param name="Install">Package names to install, in element order then file order, each once.</param>
/// <param name="Uninstall">Package names to remove, in the same order, each once.</param>
/// <param name="Owners">For each package of <paramref name="Install"/>, the elements that asked for it, so a
/// package the distribution lacks can be blamed on its element; null where nobody recorded them.</param>
public sealed record PhasePackages(string Phase, IReadOnlyList<string> Install, IReadOnlyList<string> Uninstall,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Owners = null)
{
    /// <summary>The elements that asked for <paramref name="package"/>, or none.</summary>
    public IReadOnlyList<string> OwnersOf(string package) =>
        Owners is not null && Owners.TryGetValue(package, out var owners) ? owners : [];
}
