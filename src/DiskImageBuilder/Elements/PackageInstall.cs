namespace DiskImageBuilder.Elements;

/// <summary>One entry of an element's <c>package-installs.yaml</c> or <c>.json</c>, validated.</summary>
/// <param name="Name">The package name as written; the element's pkg-map may translate it.</param>
/// <param name="Phase">pre-install.d, install.d (the default) or post-install.d.</param>
/// <param name="Uninstall">Remove the package in <paramref name="Phase"/> instead of installing it.</param>
/// <param name="BuildOnly">Install in <paramref name="Phase"/> and remove again at that phase's end.</param>
/// <param name="InstallType">Only for this install type (<c>source</c> or <c>package</c>), or null for any.</param>
/// <param name="Arch">Only for these architectures; empty for all.</param>
/// <param name="NotArch">Not for these architectures.</param>
/// <param name="When">Environment tests that must all hold.</param>
/// <param name="PythonVersion">The <c>dib_python_version</c> this entry is for, or null for any.</param>
/// <param name="File">The package-installs file the entry comes from.</param>
/// <param name="Line">The entry's 1-based line in <paramref name="File"/>.</param>
public sealed record PackageInstall(
    string Name,
    string Phase,
    bool Uninstall,
    bool BuildOnly,
    string? InstallType,
    IReadOnlyList<string> Arch,
    IReadOnlyList<string> NotArch,
    IReadOnlyList<WhenCondition> When,
    string? PythonVersion,
    string File,
    int Line);
