using System.Text.RegularExpressions;

namespace DiskImageBuilder.ElementCatalogue;

/// <summary>
/// What the catalogue needs from one element's README.md, which has a fixed structure (docs/elements.md
/// describes it): the title <c># name</c>; the first paragraph, whose first sentence is the summary;
/// a <c>## Variables</c> section with a table whose first column names each variable, or the line
/// <c>None.</c>; and a <c>## Support</c> section with the lines <c>Distros:</c>, <c>Architectures:</c>
/// and <c>Boot test:</c>.
/// </summary>
public sealed partial record ElementReadme(string Name, string Summary, IReadOnlyList<string> Variables,
    string Distros, string Architectures, string BootTest)
{
    public static ElementReadme Parse(string name, string text, string file)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != "# " + name)
            throw new FormatException($"{file}: the first line must be '# {name}'.");

        var paragraph = lines.Skip(1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l)).ToList();
        if (paragraph.Count == 0 || paragraph[0].StartsWith('#') || paragraph[0].StartsWith('|'))
            throw new FormatException($"{file}: the title must be followed by a paragraph whose first sentence says what the element does.");
        var summary = FirstSentence(string.Join(' ', paragraph.Select(l => l.Trim())));

        var variables = Section(lines, "Variables", file);
        var names = new List<string>();
        if (!variables.Any(l => l.Trim() == "None."))
        {
            // The first table of the section.
            var rows = variables.SkipWhile(l => !l.TrimStart().StartsWith('|')).TakeWhile(l => l.TrimStart().StartsWith('|')).ToList();
            if (rows.Count < 3 || !rows[0].TrimStart().StartsWith("| Variable", StringComparison.Ordinal))
                throw new FormatException($"{file}: '## Variables' must hold a table whose header starts with '| Variable', or the line 'None.'.");
            names.AddRange(rows.Skip(2).Select(r => r.Trim().Trim('|').Split('|')[0].Trim()));
        }

        var support = Section(lines, "Support", file);
        return new ElementReadme(name, summary, names, Field(support, "Distros", file), Field(support, "Architectures", file),
            Field(support, "Boot test", file));
    }

    private static string FirstSentence(string paragraph)
    {
        var match = SentenceEnd().Match(paragraph);
        return match.Success ? paragraph[..(match.Index + 1)] : paragraph;
    }

    private static List<string> Section(string[] lines, string heading, string file)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == "## " + heading);
        if (start < 0)
            throw new FormatException($"{file}: the section '## {heading}' is missing.");
        return [.. lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))];
    }

    private static string Field(List<string> section, string key, string file)
    {
        var line = section.FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        var value = line?[(key.Length + 1)..].Trim();
        if (string.IsNullOrEmpty(value))
            throw new FormatException($"{file}: '## Support' needs a line '{key}: ...'.");
        return value;
    }

    // A full stop followed by white space and a capital letter or a backtick ends the first sentence
    // ("e.g. x" does not).
    [GeneratedRegex(@"(?<!e\.g|i\.e|etc)\.(?=\s+[A-Z`(])")]
    private static partial Regex SentenceEnd();
}
