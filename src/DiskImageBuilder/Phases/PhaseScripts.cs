using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The hook table: DIB merges every element's <c>&lt;phase&gt;.d</c> directory into one directory per phase and
/// runs it with dib-run-parts. This computes that merge without copying, keeping which element each script
/// came from for logs and errors.
/// </summary>
public static class PhaseScripts
{
    /// <summary>
    /// Returns the scripts of <paramref name="phase"/> from all of <paramref name="elements"/> in run order.
    /// Throws DIB2006 when two elements have a file of the same name in the phase, and DIB2005 when a phase
    /// directory cannot be read.
    /// </summary>
    /// <param name="elements">The resolved elements; their order only decides which element a duplicate is reported against.</param>
    /// <param name="phase">The phase directory name, e.g. <c>install.d</c> (see <see cref="PhaseNames"/>).</param>
    public static PhaseScriptList Collect(ResolvedElementSet elements, string phase)
    {
        if (phase.Length == 0 || phase.IndexOfAny(['/', '\\']) >= 0 || phase is "." or "..")
            throw new ArgumentException($"'{phase}' is not a phase directory name such as install.d.", nameof(phase));

        var merged = new Dictionary<string, (Element Element, FileSystemInfo Entry)>(StringComparer.Ordinal);
        foreach (var element in elements.Elements)
        {
            var directory = Path.Combine(element.Path, phase);
            foreach (var entry in List(element, directory))
            {
                if (merged.TryGetValue(entry.Name, out var first))
                {
                    // DIB merges same-named subdirectories silently (install-types relies on it) but refuses
                    // two files of one name, whether or not they would run: the copy would overwrite one.
                    if (first.Entry is DirectoryInfo && entry is DirectoryInfo)
                        continue;
                    throw new DibException(
                        ErrorCodes.DuplicateHook,
                        $"Phase {phase} has two files named '{entry.Name}': one in element '{first.Element.Name}' " +
                        $"({first.Entry.FullName}) and one in element '{element.Name}' ({entry.FullName}). " +
                        $"All elements' {phase} directories are merged into one, so rename one of them " +
                        "(or drop one of the elements).",
                        entry.FullName);
                }
                merged.Add(entry.Name, (element, entry));
            }
        }

        var order = RunPartsOrder.Order(merged.Values
            .Select(item => (item.Entry.Name, RunPartsOrder.IsExecutable(item.Entry), RunPartsOrder.IsRegularFile(item.Entry)))
            .ToList());

        var scripts = order.Run
            .Select(name => new PhaseScript(name, merged[name].Element.Name, merged[name].Entry.FullName))
            .ToList();
        var warnings = order.Skipped
            // Subdirectories are how install-types ships alternatives; they are data, not forgotten scripts.
            .Where(skipped => merged[skipped.Name].Entry is not DirectoryInfo)
            // So is a file that a script of its own element in this phase names, as diskimage-builder's
            // dhcp-all-interfaces installs its unit and udev rule from install.d: used, not forgotten.
            .Where(skipped => !UsedByItsElement(skipped.Name, merged[skipped.Name].Element, scripts))
            .Select(skipped => Describe(phase, merged[skipped.Name].Element, skipped))
            .ToList();
        return new PhaseScriptList(phase, scripts.AsReadOnly(), warnings.AsReadOnly());
    }

    private static bool UsedByItsElement(string name, Element element, IEnumerable<PhaseScript> scripts) =>
        scripts.Where(script => script.ElementName == element.Name)
            .Any(script => ElementFile.Read(script.FullPath, File.ReadAllText, element.Name).Contains(name, StringComparison.Ordinal));

    private static IReadOnlyList<FileSystemInfo> List(Element element, string directory) =>
        ElementFile.Read<IReadOnlyList<FileSystemInfo>>(directory,
            _ => Directory.Exists(directory) ? [.. new DirectoryInfo(directory).EnumerateFileSystemInfos()] : [], element.Name);

    private static string Describe(string phase, Element element, SkippedScript skipped) => skipped.Reason switch
    {
        RunPartsSkipReason.InvalidName =>
            $"Element '{element.Name}': {phase}/{skipped.Name} does not run because dib-run-parts only runs names " +
            "made of 0-9, A-Z, a-z, '_' and '-'; rename it (e.g. drop the extension).",
        RunPartsSkipReason.NotExecutable =>
            $"Element '{element.Name}': {phase}/{skipped.Name} does not run because it is not executable; " +
            "mark it executable (chmod +x, and git update-index --chmod=+x).",
        _ =>
            $"Element '{element.Name}': {phase}/{skipped.Name} does not run because it is not a regular file " +
            "(a dangling link?); point it at a file or remove it.",
    };
}
