namespace DiskImageBuilder.Elements;

/// <summary>
/// One walk of the element graph, before it is checked: the elements found, who depends on each name and who
/// provides each virtual name. Every list is in ordinal order so that messages and results are stable.
/// </summary>
/// <param name="Loaded">The elements found on the search path, by name, in ordinal name order.</param>
/// <param name="Dependents">For each name some element depends on, the elements that depend on it.</param>
/// <param name="Providers">For each provided name, the elements that list it in element-provides.</param>
internal sealed record ElementGraph(
    IReadOnlyDictionary<string, Element> Loaded,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dependents,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Providers)
{
    /// <summary>The elements other than <paramref name="name"/> itself that provide <paramref name="name"/>.</summary>
    public IReadOnlyList<string> OtherProvidersOf(string name) =>
        Providers.TryGetValue(name, out var providers)
            ? [.. providers.Where(provider => !string.Equals(provider, name, StringComparison.Ordinal))]
            : [];

    /// <summary>Whether some element of the walk provides <paramref name="name"/>.</summary>
    public bool IsProvided(string name) => Providers.ContainsKey(name);
}
