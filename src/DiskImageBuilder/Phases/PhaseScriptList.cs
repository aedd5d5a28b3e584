namespace DiskImageBuilder.Phases;

/// <summary>The scripts of one phase across all elements, in run order, and the files that will not run.</summary>
/// <param name="Phase">The phase directory name, e.g. <c>install.d</c>.</param>
/// <param name="Scripts">The scripts that run, in dib-run-parts order.</param>
/// <param name="Warnings">One line per file that will not run, naming the element and the file and how to fix it.</param>
public sealed record PhaseScriptList(string Phase, IReadOnlyList<PhaseScript> Scripts, IReadOnlyList<string> Warnings);
