using System.Globalization;

namespace DiskImageBuilder.Sandbox;

/// <summary>A user's subordinate id range, one line <c>NAME_OR_ID:START:COUNT</c> of /etc/subuid or /etc/subgid.</summary>
public sealed record IdRange(uint Start, uint Count)
{
    /// <summary>The first range of <paramref name="text"/> that names <paramref name="user"/> or <paramref name="uid"/>, or null.</summary>
    public static IdRange? FirstFor(string text, string user, uint uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Trim().Split(':');
            if (fields.Length == 3 && (fields[0] == user || fields[0] == id)
                && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
                return new IdRange(start, count);
        }
        return null;
    }
}
