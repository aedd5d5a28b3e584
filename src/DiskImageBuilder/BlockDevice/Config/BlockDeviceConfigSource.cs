using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// Where the build's block-device configuration comes from, chosen as diskimage-builder chooses it: the project
/// property (this SDK's addition, so it comes first), then <c>DIB_BLOCK_DEVICE_CONFIG</c>, then the first element
/// that has <c>block-device-ARCH.yaml</c> or else <c>block-device-default.yaml</c>, then the built-in
/// filesystem-only layout. <see cref="Select"/> only decides; <see cref="ReadText"/> reads and <see cref="Load"/> parses.
/// </summary>
/// <param name="Origin">Which place won.</param>
/// <param name="SourceName">What errors name: the file's path, or the property or variable that held inline YAML.</param>
/// <param name="FilePath">The file to read, or null when <paramref name="Text"/> holds the YAML.</param>
/// <param name="Text">The inline or built-in YAML, or null when <paramref name="FilePath"/> is to be read.</param>
/// <param name="Element">The element whose file won, for <see cref="BlockDeviceConfigOrigin.Element"/>.</param>
/// <param name="Ignored">Element files that lost to an earlier element's, so that the build can say which one won.</param>
public sealed record BlockDeviceConfigSource(
    BlockDeviceConfigOrigin Origin,
    string SourceName,
    string? FilePath,
    string? Text,
    string? Element,
    ValueList<string> Ignored)
{
    /// <summary>The project property that holds a path or inline YAML.</summary>
    public const string PropertyName = "BlockDeviceConfig";

    /// <summary>diskimage-builder's variable for the configuration.</summary>
    public const string EnvironmentVariable = "DIB_BLOCK_DEVICE_CONFIG";

    /// <summary>The file an element supplies for every architecture.</summary>
    public const string ElementDefaultFile = "block-device-default.yaml";

    private const string FileScheme = "file://";

    /// <summary>
    /// Chooses the configuration. Pure: the only thing it asks of the machine is <paramref name="fileExists"/>.
    /// </summary>
    /// <param name="propertyValue">
    /// The property's value. Inline YAML when it has a line break or starts with <c>-</c>, <c>[</c> or <c>{</c>
    /// (a YAML list); otherwise a file path, absolute or relative to <paramref name="projectDirectory"/>, with or
    /// without <c>file://</c>. Empty means unset.
    /// </param>
    /// <param name="environmentValue">
    /// <c>DIB_BLOCK_DEVICE_CONFIG</c>: <c>file://PATH</c> (relative paths against <paramref name="projectDirectory"/>),
    /// otherwise inline YAML, as diskimage-builder reads it. Empty means unset.
    /// </param>
    /// <param name="arch">The target architecture; ppc64le and ppc64el both look for <c>block-device-ppc64el.yaml</c>, as in diskimage-builder.</param>
    /// <param name="elements">The build's elements in the order to search; the first with a file wins.</param>
    /// <param name="fileExists">Whether a file exists.</param>
    /// <param name="projectDirectory">The directory relative paths are resolved against.</param>
    /// <exception cref="DibException">DIB3020 when the property or the variable names a file that does not exist.</exception>
    public static BlockDeviceConfigSource Select(
        string? propertyValue,
        string? environmentValue,
        string arch,
        IReadOnlyList<Element> elements,
        Func<string, bool> fileExists,
        string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentNullException.ThrowIfNull(fileExists);
        ArgumentException.ThrowIfNullOrEmpty(arch);
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);

        if (!string.IsNullOrWhiteSpace(propertyValue))
        {
            var value = propertyValue.Trim();
            if (value.StartsWith(FileScheme, StringComparison.Ordinal) || !LooksLikeYaml(value))
                return FromFile(BlockDeviceConfigOrigin.Property, $"the {PropertyName} property", value, fileExists, projectDirectory);
            return new(BlockDeviceConfigOrigin.Property, $"{PropertyName} property", null, propertyValue, null, ValueList<string>.Empty);
        }

        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            if (environmentValue.StartsWith(FileScheme, StringComparison.Ordinal))
                return FromFile(BlockDeviceConfigOrigin.Environment, EnvironmentVariable, environmentValue, fileExists, projectDirectory);
            return new(BlockDeviceConfigOrigin.Environment, EnvironmentVariable, null, environmentValue, null, ValueList<string>.Empty);
        }

        var archFile = $"block-device-{(arch is "ppc64le" or "ppc64el" ? "ppc64el" : arch)}.yaml";
        var found = elements
            .Select(element => (element, file: new[] { archFile, ElementDefaultFile }
                .Select(name => Path.Combine(element.Path, name))
                .FirstOrDefault(fileExists)))
            .Where(candidate => candidate.file is not null)
            .ToList();
        if (found.Count > 0)
        {
            var (element, file) = found[0];
            return new(BlockDeviceConfigOrigin.Element, file!, file, null, element.Name, [.. found.Skip(1).Select(c => c.file!)]);
        }

        return new(BlockDeviceConfigOrigin.Fallback, BlockDeviceDefaults.SourceName(BlockDeviceDefaults.FilesystemOnly), null,
            BlockDeviceDefaults.Text(BlockDeviceDefaults.FilesystemOnly), null, ValueList<string>.Empty);
    }

    /// <summary>Reads <see cref="FilePath"/> when there is one, and parses the configuration.</summary>
    /// <exception cref="DibException">DIB3020 when the file cannot be read; the parser's codes for its content.</exception>
    public BlockDeviceConfig Load() => BlockDeviceConfigParser.Parse(ReadText(), SourceName);

    /// <summary>The YAML: <see cref="Text"/>, or the content of <see cref="FilePath"/>.</summary>
    /// <exception cref="DibException">DIB3020 when the file cannot be read.</exception>
    public string ReadText()
    {
        if (FilePath is null)
            return Text ?? "";
        try
        {
            return File.ReadAllText(FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DibException(ErrorCodes.BlockDeviceConfigNotFound,
                $"The block-device configuration {FilePath} ({Describe()}) cannot be read: {e.Message} Make it readable by the user running the build.",
                FilePath, inner: e);
        }
    }

    private string Describe() => Origin switch
    {
        BlockDeviceConfigOrigin.Property => $"from the {PropertyName} property",
        BlockDeviceConfigOrigin.Environment => $"from {EnvironmentVariable}",
        BlockDeviceConfigOrigin.Element => $"from element '{Element}'",
        _ => "built in",
    };

    // A file name never starts like a YAML list and never spans lines; a layout always does one or the other.
    private static bool LooksLikeYaml(string value) => value.Contains('\n') || value[0] is '-' or '[' or '{';

    private static BlockDeviceConfigSource FromFile(
        BlockDeviceConfigOrigin origin, string where, string value, Func<string, bool> fileExists, string projectDirectory)
    {
        var path = value.StartsWith(FileScheme, StringComparison.Ordinal) ? value[FileScheme.Length..] : value;
        var full = Path.GetFullPath(path, projectDirectory);
        if (!fileExists(full))
        {
            throw new DibException(ErrorCodes.BlockDeviceConfigNotFound,
                $"The block-device configuration {full}, named by {where} ('{value}'), does not exist. Fix the path " +
                "(relative paths are taken from the project's folder), or give the YAML itself.", full);
        }
        return new(origin, full, full, null, null, ValueList<string>.Empty);
    }
}
