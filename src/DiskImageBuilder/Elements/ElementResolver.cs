using DiskImageBuilder.Diagnostics;
namespace DiskImageBuilder.Elements;
// TEMPORARY
public sealed class ElementResolver(ElementSearchPath path)
{
    public ResolvedElementSet Resolve(IReadOnlyList<string> requested, bool addBase)
    {
        var result = new List<Element>();
        var seen = new HashSet<string>();
        void Visit(string n)
        {
            if (!seen.Add(n)) return;
            var e = path.Find(n) ?? (result.Any(r => r.Provides.Contains(n)) ? null : throw new DibException(ErrorCodes.ElementNotFound, $"Element '{n}' not found"));
            if (e is null) return;
            foreach (var d in e.Dependencies.Order(StringComparer.Ordinal)) Visit(d);
            result.Add(e);
        }
        foreach (var r in (addBase ? requested.Append("base") : requested)) Visit(r);
        if (result.Any(e => e.Name == "vm") && !result.Any(e => e.Provides.Contains("block-device"))) Visit("block-device-mbr");
        if (!result.Any(e => e.Provides.Contains("operating-system"))) throw new DibException(ErrorCodes.NoOperatingSystem, "no os");
        return new ResolvedElementSet(result, path.Warnings);
    }
}
public sealed record ResolvedElementSet(IReadOnlyList<Element> Elements, IReadOnlyList<string> Warnings)
{
    public Element? ProviderOf(string n) => Elements.FirstOrDefault(e => e.Provides.Contains(n));
}
