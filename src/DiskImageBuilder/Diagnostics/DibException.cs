namespace DiskImageBuilder.Diagnostics;

/// <summary>
/// A failure the user can cause and fix. Carries a stable code (DIBnnnn, see docs/errors.md)
/// and, where known, the file and line it points at. Tasks turn it into one MSBuild error.
/// </summary>
public sealed class DibException : Exception
{
    public DibException(string code, string message, string? file = null, int line = 0, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        Line = line;
    }

    /// <summary>The stable error code, e.g. <c>DIB2001</c>.</summary>
    public string Code { get; }

    /// <summary>The file the error points at, if any.</summary>
    public string? File { get; }

    /// <summary>The 1-based line in <see cref="File"/>, or 0.</summary>
    public int Line { get; }
}
