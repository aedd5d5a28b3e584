namespace DiskImageBuilder.Elements;

/// <summary>The distribution packages one phase installs at its start and removes at its end.</summary>
/// <param name="Phase">pre-install.d, install.d or post-install.d.</param>
/// <param name="Install">Package names to install, in element order then file order, each once.</param>
/// <param name="Uninstall">Package names to remove, in the same order, each once.</param>
public sealed record PhasePackages(string Phase, IReadOnlyList<string> Install, IReadOnlyList<string> Uninstall);
