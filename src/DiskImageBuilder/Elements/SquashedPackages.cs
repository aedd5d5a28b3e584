namespace DiskImageBuilder.Elements;

/// <summary>
/// All elements' package-installs merged for one build, as DIB's package-installs-squash writes them: per
/// phase, after filtering and pkg-map translation.
/// </summary>
/// <param name="Phases">One entry for each of pre-install.d, install.d and post-install.d, in that order.</param>
public sealed record SquashedPackages(IReadOnlyList<PhasePackages> Phases)
{
    /// <summary>The packages of <paramref name="phase"/>; empty lists for a phase without packages.</summary>
    public PhasePackages For(string phase) =>
        Phases.FirstOrDefault(packages => string.Equals(packages.Phase, phase, StringComparison.Ordinal))
        ?? new PhasePackages(phase, [], []);
}
