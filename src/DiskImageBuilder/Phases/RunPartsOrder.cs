namespace DiskImageBuilder.Phases;

/// <summary>
/// Which files of a merged phase directory run and in what order, exactly as DIB's <c>dib-run-parts</c>
/// decides: regular executable files named <c>^[0-9A-Za-z_-]+$</c>, ordered by <c>LC_ALL=C sort -n</c>.
/// </summary>
public static class RunPartsOrder
{
    /// <summary>
    /// Compares two names as <c>LC_ALL=C sort -n</c> does: by the leading (optionally negative) decimal number,
    /// a name without one counting as 0, then byte by byte over the whole name, sort's last-resort comparison.
    /// </summary>
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create(Compare);

    /// <summary>Whether dib-run-parts accepts the name: one or more of <c>0-9 A-Z a-z _ -</c> and nothing else.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_' or '-');

    /// <summary>Decides over a listing given as data, so the rules can be tested without a file system.</summary>
    public static RunPartsResult Order(IEnumerable<(string Name, bool IsExecutable, bool IsRegularFile)> files)
    {
        var run = new List<string>();
        var skipped = new List<SkippedScript>();
        foreach (var (name, isExecutable, isRegularFile) in files.OrderBy(file => file.Name, Comparer))
        {
            // The name is checked first: dib-run-parts filters names before it looks at the file at all.
            if (!IsValidName(name))
                skipped.Add(new SkippedScript(name, RunPartsSkipReason.InvalidName));
            else if (!isRegularFile)
                skipped.Add(new SkippedScript(name, RunPartsSkipReason.NotRegularFile));
            else if (!isExecutable)
                skipped.Add(new SkippedScript(name, RunPartsSkipReason.NotExecutable));
            else
                run.Add(name);
        }
        return new RunPartsResult(run.AsReadOnly(), skipped.AsReadOnly());
    }

    /// <summary>
    /// Decides over the entries of <paramref name="directory"/>; a directory that does not exist has nothing to
    /// run. I/O errors propagate: the caller knows which element the directory belongs to.
    /// </summary>
    public static RunPartsResult OrderDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            return new RunPartsResult([], []);
        return Order(new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .Select(entry => (entry.Name, IsExecutable(entry), IsRegularFile(entry)))
            .ToList());
    }

    /// <summary>
    /// Follows links as <c>find -xtype f</c> does. A FIFO or device node still counts as a file here: .NET does
    /// not expose the file type, and neither belongs in an element.
    /// </summary>
    internal static bool IsRegularFile(FileSystemInfo entry)
    {
        if (entry is not FileInfo)
            return false;
        if (entry.LinkTarget is null)
            return true;
        var target = File.ResolveLinkTarget(entry.FullName, returnFinalTarget: true);
        return target is FileInfo { Exists: true };
    }

    /// <summary>
    /// Any execute bit counts, which is what <c>find -executable</c> answers for root, the user that runs the
    /// scripts. Links are followed.
    /// </summary>
    internal static bool IsExecutable(FileSystemInfo entry)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Element scripts run on Linux only.");
        try
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(entry.FullName) & anyExecute) != 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false; // a dangling link; reported as not a regular file
        }
    }

    private static int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;

        var (xNegative, xDigits) = LeadingNumber(x);
        var (yNegative, yDigits) = LeadingNumber(y);
        var byNumber = xNegative == yNegative
            ? Math.Sign(CompareMagnitude(xDigits, yDigits)) * (xNegative ? -1 : 1)
            : xNegative ? -1 : 1;
        return byNumber != 0 ? byNumber : string.CompareOrdinal(x, y);
    }

    // The leading number as sign and digits without leading zeros, compared as text so that no name overflows.
    // "-" without digits and "-0" are zero, as in sort.
    private static (bool Negative, string Digits) LeadingNumber(string name)
    {
        var start = name.StartsWith('-') ? 1 : 0;
        var end = start;
        while (end < name.Length && char.IsAsciiDigit(name[end]))
            end++;
        var digits = name[start..end].TrimStart('0');
        return (start == 1 && digits.Length > 0, digits);
    }

    private static int CompareMagnitude(string x, string y) =>
        x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
}
