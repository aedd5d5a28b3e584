namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// The archive the build host's own apt configuration uses for a release (no server name is written into the
/// tests). Builds that must not depend on the host's security and updates suites, whose indexes for foreign
/// architectures a mirror may hold mid-sync, name this archive as DistributionMirror: mmdebstrap then uses only
/// the release itself.
/// </summary>
internal static class HostAptSources
{
    /// <summary>The URI of the first apt source of the host that lists <paramref name="suite"/>, or null.</summary>
    public static string? ArchiveFor(string suite)
    {
        foreach (var file in SourceFiles())
        {
            var uri = file.EndsWith(".sources", StringComparison.Ordinal) ? FromDeb822(File.ReadAllText(file), suite) : FromOneLine(File.ReadAllLines(file), suite);
            if (uri is not null)
                return uri;
        }
        return null;
    }

    private static IEnumerable<string> SourceFiles()
    {
        if (File.Exists("/etc/apt/sources.list"))
            yield return "/etc/apt/sources.list";
        if (Directory.Exists("/etc/apt/sources.list.d"))
            foreach (var file in Directory.EnumerateFiles("/etc/apt/sources.list.d").Order(StringComparer.Ordinal))
                if (file.EndsWith(".list", StringComparison.Ordinal) || file.EndsWith(".sources", StringComparison.Ordinal))
                    yield return file;
    }

    private static string? FromOneLine(string[] lines, string suite)
    {
        foreach (var line in lines)
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
            if (words.Count < 3 || words[0] != "deb")
                continue;
            if (words[1].StartsWith('['))
                words.RemoveRange(1, words.FindIndex(w => w.EndsWith(']')));
            if (words.Count >= 3 && words[2] == suite)
                return words[1];
        }
        return null;
    }

    private static string? FromDeb822(string text, string suite)
    {
        foreach (var stanza in text.Split("\n\n"))
        {
            var fields = stanza.Split('\n')
                .Where(l => !l.StartsWith('#') && l.Contains(':'))
                .Select(l => (Name: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
                .ToList();
            string Field(string name) => fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? "";
            if (!Field("Types").Split(' ').Contains("deb") || Field("Enabled") == "no")
                continue;
            if (Field("Suites").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(suite))
                return Field("URIs").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        }
        return null;
    }
}
