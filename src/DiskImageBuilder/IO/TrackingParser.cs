using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DiskImageBuilder.IO;

/// <summary>
/// Passes YamlDotNet's parser through, remembering where the last event that parsed ended. Some malformed input
/// (an unclosed flow map at the end of a line, for one) makes YamlDotNet's scanner throw an exception without a
/// position; the last good position is then the best line to point the user at.
/// </summary>
internal sealed class TrackingParser(IParser inner) : IParser
{
    /// <summary>The end of the last event read, or <see cref="Mark.Empty"/> before the first.</summary>
    public Mark LastGood { get; private set; } = Mark.Empty;

    /// <inheritdoc />
    public ParsingEvent? Current => inner.Current;

    /// <inheritdoc />
    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current)
            LastGood = current.End;
        return moved;
    }
}
