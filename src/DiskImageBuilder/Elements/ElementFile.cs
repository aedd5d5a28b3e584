using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Reads the files and folders of elements (element-deps, element-provides, package-installs, pkg-map, svc-map,
/// host-tools, phase folders) with one error for one that exists but cannot be read: DIB2005, naming the element
/// and the path, and saying how to fix it.
/// </summary>
public static class ElementFile
{
    /// <summary>The usual fix.</summary>
    public const string MakeReadable = "Make it readable by the user running the build.";

    /// <summary>The text of <paramref name="path"/>, or null when there is no such file.</summary>
    /// <param name="element">The element the file belongs to, for the message; null when not known.</param>
    /// <exception cref="DibException">DIB2005 when the file exists but cannot be read.</exception>
    public static string? ReadAllText(string path, string? element = null) =>
        File.Exists(path) ? Read(path, File.ReadAllText, element) : null;

    /// <summary>Runs <paramref name="read"/> on <paramref name="path"/> and turns a failure to read into DIB2005.</summary>
    /// <param name="fix">What the user should do, when it is more than <see cref="MakeReadable"/>.</param>
    public static T Read<T>(string path, Func<string, T> read, string? element = null, string fix = MakeReadable)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DibException(ErrorCodes.ElementUnreadable,
                $"{(element is null ? "" : $"Element '{element}': ")}{path} cannot be read: {e.Message} {fix}", path, inner: e);
        }
    }
}
