using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Turns the requested element names into the build's element set with diskimage-builder's rules:
/// transitive <c>element-deps</c>, virtual names from <c>element-provides</c>, one provider per name and one
/// operating system. Unlike DIB, whose result is an unordered set, the order is the same on every run.
/// </summary>
public sealed class ElementResolver(ElementSearchPath searchPath)
{
    private const string Requested = "requested";

    /// <summary>
    /// Resolves <paramref name="requested"/> (order does not matter) and orders the result dependencies
    /// first. Throws DIB2001 (element not found), DIB2002 (no operating system), DIB2003 (two providers of one
    /// name), DIB2004 (a requested element is provided by another) or DIB2005 (element unreadable).
    /// </summary>
    /// <param name="requested">The element names the user listed.</param>
    /// <param name="addBase">Add the <c>base</c> element, as DIB does unless given <c>-n</c>.</param>
    /// <param name="defaultLayout">The layout element a <c>vm</c> image gets when no element provides one: the target
    /// architecture's (block-device-efi on arm64, as diskimage-builder picks).</param>
    public ResolvedElementSet Resolve(IReadOnlyList<string> requested, bool addBase = true, string defaultLayout = ElementNames.BlockDeviceMbr)
    {
        // Why each root is in the build; error messages repeat it so that an added name is not a mystery.
        var roots = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in requested.Select(name => name.Trim()).Where(name => name.Length > 0))
            roots.TryAdd(name, Requested);
        if (addBase)
            roots.TryAdd(ElementNames.Base, "added to every build by default");

        var virtualOnly = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var graph = Expand(roots.Keys, virtualOnly);

            // A dependency that exists on disk but is also provided by an element in the set is satisfied by
            // that provider. The walk may have loaded it before it met the provider, so walk again with the name
            // marked virtual. Each pass marks at least one more name, so this ends.
            var providedByOthers = graph.Loaded.Keys
                .Where(name => !roots.ContainsKey(name) && graph.OtherProvidersOf(name).Count > 0)
                .ToList();
            if (providedByOthers.Count > 0)
            {
                virtualOnly.UnionWith(providedByOthers);
                continue;
            }

            // DIB's compatibility rule: a vm image with no partition-layout element gets the default one.
            if (graph.Loaded.ContainsKey(ElementNames.Vm)
                && !graph.IsProvided(ElementNames.BlockDevice)
                && roots.TryAdd(defaultLayout,
                    $"added because '{ElementNames.Vm}' needs a {ElementNames.BlockDevice} provider and no element provides one"))
            {
                continue;
            }

            return Check(graph, roots);
        }
    }

    private ElementGraph Expand(IEnumerable<string> roots, HashSet<string> virtualOnly)
    {
        var rootSet = roots.ToHashSet(StringComparer.Ordinal);
        var loaded = new SortedDictionary<string, Element>(StringComparer.Ordinal);
        var dependents = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var providers = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);

        // Always taking the smallest pending name makes the walk depend on the set of names, not their order.
        var pending = new SortedSet<string>(rootSet, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var name = pending.Min!;
            pending.Remove(name);
            if (loaded.ContainsKey(name))
                continue;
            if (!rootSet.Contains(name) && (providers.ContainsKey(name) || virtualOnly.Contains(name)))
                continue;

            // Not found may still be fine: an element met later can provide the name. Check decides.
            if (searchPath.Find(name) is not { } element)
                continue;
            loaded.Add(name, element);
            foreach (var provided in element.Provides)
                GetOrAdd(providers, provided).Add(name);
            foreach (var dependency in element.Dependencies)
            {
                GetOrAdd(dependents, dependency).Add(name);
                pending.Add(dependency);
            }
        }
        return new ElementGraph(loaded, Freeze(dependents), Freeze(providers));
    }

    private ResolvedElementSet Check(ElementGraph graph, SortedDictionary<string, string> roots)
    {
        // A missing operating-system is reported by the clearer DIB2002 below.
        var missing = roots.Keys.Concat(graph.Dependents.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !graph.Loaded.ContainsKey(name) && !graph.IsProvided(name))
            .Where(name => name != ElementNames.OperatingSystem)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
            throw NotFound(missing, graph, roots);

        // Two operating systems are reported as such, before the names they both provide (kernel).
        foreach (var (name, providers) in graph.Providers.OrderBy(pair => pair.Key != ElementNames.OperatingSystem)
                     .ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (providers.Count < 2)
                continue;
            var second = graph.Loaded[providers[1]];
            throw new DibException(
                ErrorCodes.DuplicateProvider,
                $"'{name}' is provided by more than one element: " +
                string.Join(", ", providers.Select(provider => $"'{provider}' ({WhyPresent(provider, graph, roots)})")) +
                $". A name can have only one provider; keep one of these elements and remove the others from the " +
                "element list or from the element-deps that pull them in.",
                Path.Combine(second.Path, Element.ProvidesFile),
                LineOf(Path.Combine(second.Path, Element.ProvidesFile), name));
        }

        foreach (var (name, reason) in roots)
        {
            var others = graph.OtherProvidersOf(name);
            if (others.Count == 0)
                continue;
            var provider = graph.Loaded[others[0]];
            throw new DibException(
                ErrorCodes.RequestedElementIsProvided,
                $"Element '{name}' ({reason}) is also provided by element '{provider.Name}' " +
                $"({WhyPresent(provider.Name, graph, roots)}), which lists it in {Element.ProvidesFile}. " +
                $"Remove '{name}' from the element list: '{provider.Name}' stands in for it.",
                Path.Combine(provider.Path, Element.ProvidesFile),
                LineOf(Path.Combine(provider.Path, Element.ProvidesFile), name));
        }

        if (!graph.IsProvided(ElementNames.OperatingSystem))
        {
            throw new DibException(
                ErrorCodes.NoOperatingSystem,
                $"No element provides '{ElementNames.OperatingSystem}', so there is nothing to build the image from. " +
                "Add an operating-system element such as debian-minimal (or ubuntu-minimal, centos-minimal) to the " +
                $"element list. Elements in the build: {string.Join(", ", graph.Loaded.Keys)}.");
        }

        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, element) in graph.Loaded)
        {
            // A dependency resolves to the element of that name or else to its single provider.
            edges[name] = element.Dependencies
                .Select(dependency => graph.Loaded.ContainsKey(dependency) ? dependency : graph.Providers[dependency].Single())
                .Where(dependency => dependency != name)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        var ordered = ElementGraphOrder.Sort(roots.Keys, edges).Select(name => graph.Loaded[name]).ToList();
        return new ResolvedElementSet(ordered, [.. ordered.SelectMany(element => searchPath.WarningsFor(element.Name))]);
    }

    private DibException NotFound(IReadOnlyList<string> missing, ElementGraph graph, SortedDictionary<string, string> roots)
    {
        var searched = string.Join(", ", searchPath.Directories.Select(
            directory => Directory.Exists(directory) ? directory : $"{directory} (does not exist)"));
        var names = string.Join(", ", missing.Select(name => $"'{name}' ({WhyPresent(name, graph, roots)})"));

        // Point at the element-deps line that asked for the first missing name, when an element asked.
        string? file = null;
        var line = 0;
        if (graph.Dependents.TryGetValue(missing[0], out var askers))
        {
            file = Path.Combine(graph.Loaded[askers[0]].Path, Element.DependenciesFile);
            line = LineOf(file, missing[0]);
        }

        return new DibException(
            ErrorCodes.ElementNotFound,
            $"{(missing.Count == 1 ? "Element" : "Elements")} {names} not found in: {searched}. " +
            "Check the spelling in the element list and in element-deps, or add the directory that holds the " +
            "element to ElementsPath. A virtual name needs an element that lists it in element-provides.",
            file,
            line);
    }

    private static string WhyPresent(string name, ElementGraph graph, SortedDictionary<string, string> roots)
    {
        var reasons = new List<string>();
        if (roots.TryGetValue(name, out var reason))
            reasons.Add(reason);
        if (graph.Dependents.TryGetValue(name, out var askers))
            reasons.Add("required by " + string.Join(", ", askers.Select(asker => $"'{asker}'")));
        return string.Join("; ", reasons);
    }

    // The 1-based line on which a name-list file names `name`, or 0; only used to point error messages.
    private static int LineOf(string file, string name)
    {
        try
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var hash = line.IndexOf('#', StringComparison.Ordinal);
                if ((hash >= 0 ? line[..hash] : line).Trim() == name)
                    return number;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file was readable moments ago; losing the line number is no reason to hide the real error.
        }
        return 0;
    }

    private static Dictionary<string, IReadOnlyList<string>> Freeze(Dictionary<string, SortedSet<string>> map) =>
        map.ToDictionary(pair => pair.Key, IReadOnlyList<string> (pair) => [.. pair.Value], StringComparer.Ordinal);

    private static SortedSet<string> GetOrAdd(Dictionary<string, SortedSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var set))
            map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        return set;
    }
}
