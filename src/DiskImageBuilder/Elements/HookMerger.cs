using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Builds the merged hooks folder (TMP_HOOKS_PATH) as diskimage-builder's generate_hooks does: the
/// contents of every element, in resolved order, copied into one tree with `cp -a` (links are copied
/// as links, never followed). Phase scripts of different elements then sit side by side per phase.
/// </summary>
public sealed class HookMerger(ProcessRunner runner)
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <param name="builtInDir">The SDK's element folder. A NuGet package keeps no Unix file modes, so the
    /// scripts of built-in elements (phase folders and bin/) are made executable in the merged copy.</param>
    /// <returns>Warnings for scripts that run-parts skips (a dot in the name, not executable), naming their element.</returns>
    public async Task<IReadOnlyList<string>> MergeAsync(IReadOnlyList<Element> elements, string hooksDir, string builtInDir,
        CancellationToken cancellationToken)
    {
        // Duplicate script names (DIB2006) fail here, before anything is copied.
        var warnings = SkippedScriptWarnings(elements, builtInDir);
        if (Directory.Exists(hooksDir))
            Directory.Delete(hooksDir, recursive: true);
        Directory.CreateDirectory(hooksDir);
        await CopyElementsAsync(elements, hooksDir, builtInDir, cancellationToken);
        return warnings;
    }

    /// <summary>
    /// Brings a hooks folder restored from the stage cache up to date for the phases about to run: every
    /// element is copied over it again (changed and new scripts), and in those phases a regular file that
    /// no element ships any more is removed. Links stay: they are what extra-data.d generated
    /// (install-types), and the stage that generated them was restored, not rerun.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(IReadOnlyList<Element> elements, string hooksDir, string builtInDir,
        IReadOnlyCollection<string> phasesToRun, CancellationToken cancellationToken)
    {
        var warnings = SkippedScriptWarnings(elements, builtInDir);
        foreach (var phase in phasesToRun)
        {
            var dir = Path.Combine(hooksDir, phase);
            if (!Directory.Exists(dir))
                continue;
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (new FileInfo(file).LinkTarget is null && !elements.Any(e => File.Exists(Path.Combine(e.Path, phase, name))))
                    File.Delete(file);
            }
        }
        await CopyElementsAsync(elements, hooksDir, builtInDir, cancellationToken);
        return warnings;
    }

    /// <summary>The warnings for scripts that run-parts skips, in every phase; DIB2006 for two scripts of one name.</summary>
    private static List<string> SkippedScriptWarnings(IReadOnlyList<Element> elements, string builtInDir)
    {
        var set = new ResolvedElementSet(elements, []);
        return [.. Phases.PhaseNames.All
            .SelectMany(phase => Phases.PhaseScripts.Collect(set, phase.Directory).Warnings)
            .Where(w => !IsBuiltInModeWarning(w, elements, builtInDir))];
    }

    /// <summary>Copies every element over the hooks folder in resolved order, as generate_hooks does.</summary>
    private async Task CopyElementsAsync(IReadOnlyList<Element> elements, string hooksDir, string builtInDir, CancellationToken cancellationToken)
    {
        foreach (var element in elements)
        {
            await runner.RunCheckedAsync(new ProcessSpec("cp", ["-a", "--", element.Path + "/.", hooksDir]),
                ErrorCodes.ElementUnreadable, $"Copying element '{element.Name}' from {element.Path}", cancellationToken);
            if (builtInDir.Length > 0 && IsInside(element.Path, builtInDir))
                MarkScriptsExecutable(element.Path, hooksDir);
        }
    }

    /// <summary>Built-in elements lose their modes in the NuGet package; "not executable" is not their author's mistake.</summary>
    private static bool IsBuiltInModeWarning(string warning, IReadOnlyList<Element> elements, string builtInDir) =>
        builtInDir.Length > 0 && warning.Contains("not executable", StringComparison.OrdinalIgnoreCase)
        && elements.Any(e => IsInside(e.Path, builtInDir) && warning.Contains($"'{e.Name}'", StringComparison.Ordinal));

    private static bool IsInside(string path, string dir) =>
        Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)) + "/", StringComparison.Ordinal);

    private static void MarkScriptsExecutable(string elementDir, string hooksDir)
    {
        foreach (var sub in Directory.EnumerateDirectories(elementDir))
        {
            var name = Path.GetFileName(sub);
            if (name != "bin" && (!name.EndsWith(".d", StringComparison.Ordinal) || name == "environment.d"))
                continue;
            foreach (var file in Directory.EnumerateFiles(sub))
            {
                var copy = Path.Combine(hooksDir, name, Path.GetFileName(file));
                if (File.Exists(copy) && !new FileInfo(copy).Attributes.HasFlag(FileAttributes.ReparsePoint))
                    File.SetUnixFileMode(copy, Executable);
            }
        }
    }
}
