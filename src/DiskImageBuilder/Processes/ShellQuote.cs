namespace DiskImageBuilder.Processes;

/// <summary>POSIX shell quoting, for command lines that a user can paste into a shell.</summary>
public static class ShellQuote
{
    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)))
            return value;
        return "'" + value.Replace("'", "'\\''") + "'";
    }
}
