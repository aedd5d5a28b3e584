using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The scripts of one phase as they run: read from the merged hooks folder (so scripts that an
/// earlier phase generated count too), in run-parts order, each attributed to the element that
/// ships it.
/// </summary>
public static class MergedPhaseScripts
{
    public const string GeneratedElement = "(generated during the build)";

    public static IReadOnlyList<PhaseScript> List(string hooksDir, string phase, IReadOnlyList<Element> elements)
    {
        var dir = Path.Combine(hooksDir, phase);
        if (!Directory.Exists(dir))
            return [];
        var order = RunPartsOrder.OrderDirectory(dir).Run;
        return [.. order.Select(name =>
        {
            var owner = elements.LastOrDefault(e => File.Exists(Path.Combine(e.Path, phase, name)));
            return new PhaseScript(name, owner?.Name ?? GeneratedElement,
                owner is null ? Path.Combine(dir, name) : Path.Combine(owner.Path, phase, name));
        })];
    }
}
