using System.Text;

namespace DiskImageBuilder.ElementCatalogue;

/// <summary>docs/elements.md: a header that explains the README structure, then one row per built-in element.</summary>
public static class Catalogue
{
    public const string RegenerateCommand = "dotnet run --project eng/ElementCatalogue";

    public static string ElementsDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, "sdk", "DiskImageBuilder.Sdk", "elements");

    public static string DocumentPath(string repositoryRoot) => Path.Combine(repositoryRoot, "docs", "elements.md");

    /// <summary>The catalogue for the element folders under <paramref name="elementsDirectory"/>; a README that breaks the structure throws naming it.</summary>
    public static string Generate(string elementsDirectory)
    {
        var readmes = Directory.GetDirectories(elementsDirectory)
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var file = Path.Combine(elementsDirectory, name, "README.md");
                if (!File.Exists(file))
                    throw new FormatException($"{file}: every built-in element needs a README.md.");
                return ElementReadme.Parse(name, File.ReadAllText(file), $"sdk/DiskImageBuilder.Sdk/elements/{name}/README.md");
            })
            .ToList();

        var text = new StringBuilder();
        text.Append(Header.Replace("{COMMAND}", RegenerateCommand, StringComparison.Ordinal));
        text.Append("| Element | What it does | Variables | Distros | Architectures | Boot test |\n");
        text.Append("|---|---|---|---|---|---|\n");
        foreach (var r in readmes)
        {
            var variables = r.Variables.Count == 0 ? "" : string.Join(", ", r.Variables);
            text.Append($"| [{r.Name}](../sdk/DiskImageBuilder.Sdk/elements/{r.Name}/README.md) | {Cell(r.Summary)} | {Cell(variables)} | {Cell(r.Distros)} | {Cell(r.Architectures)} | {Cell(r.BootTest)} |\n");
        }
        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);

    private const string Header = """
        # Built-in elements

        <!-- Generated from the elements' README.md files by `{COMMAND}`; do not edit by hand.
             A unit test (ElementCatalogueTests) fails when this file differs from what the READMEs say. -->

        Every element in `sdk/DiskImageBuilder.Sdk/elements/` with what it does, its variables, the distributions and
        architectures it supports, and the test that boots an image with it ("no": its files are checked in a built
        image, not at boot). Each name links to the element's README, which has the details, an example and the
        deliberate differences from diskimage-builder's element of the same name.

        ## README structure

        This page is generated from each element's `README.md`, which therefore keeps this structure:

        1. The first line is `# <element name>`.
        2. Then a paragraph; its first sentence is the element's line here.
        3. A section `## Variables` with a table whose header starts with `| Variable` (first column: the variable,
           in backticks), or the line `None.`
        4. A section `## Support` with three lines: `Distros: ...`, `Architectures: ...` (`all`, or a list) and
           `Boot test: ...` (the test class that boots it, or `no`).

        Other sections are free; element READMEs also have `## Example` (an `.imgproj` snippet) and
        `## Differences from diskimage-builder` (each deliberate difference and its reason). After changing a README,
        run `{COMMAND}` from the repository root.

        ## Elements


        """;
}
