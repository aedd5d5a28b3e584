namespace DiskImageBuilder.Elements;

/// <summary>
/// The outcome of element resolution: every element of the build, dependencies before dependents, and which
/// element stands in for each virtual name.
/// </summary>
public sealed class ResolvedElementSet
{
    private readonly Dictionary<string, Element> _byName = new(StringComparer.Ordinal);

    /// <summary>Wraps an already ordered and checked element list; <see cref="ElementResolver"/> builds one.</summary>
    /// <exception cref="ArgumentException">Two elements share a name, or two provide the same name.</exception>
    public ResolvedElementSet(IReadOnlyList<Element> elements, IReadOnlyList<string> warnings)
    {
        var providers = new Dictionary<string, Element>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            if (!_byName.TryAdd(element.Name, element))
                throw new ArgumentException($"Element '{element.Name}' appears twice.", nameof(elements));
            foreach (var name in element.Provides)
            {
                if (!providers.TryAdd(name, element))
                    throw new ArgumentException(
                        $"'{name}' is provided by both '{providers[name].Name}' and '{element.Name}'.", nameof(elements));
            }
        }
        Elements = [.. elements];
        Warnings = [.. warnings];
    }

    /// <summary>All elements of the build, dependencies before dependents, in the same order on every run.</summary>
    public IReadOnlyList<Element> Elements { get; }

    /// <summary>Shadowing warnings for the elements in this set, e.g. <c>Element 'x' in /a/x overrides /b/x</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The element called <paramref name="name"/>, or null when it is not part of the build.</summary>
    public Element? Find(string name) => _byName.GetValueOrDefault(name);
}
