using DiskImageBuilder.ElementCatalogue;

namespace DiskImageBuilder.Tests.Docs;

[TestClass]
public sealed class ElementCatalogueTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiskImageBuilder.Sdk.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DiskImageBuilder.Sdk.sln above {AppContext.BaseDirectory}");
    }

    [TestMethod]
    public void Catalogue_IsWhatTheElementReadmesSay()
    {
        var root = RepositoryRoot();
        var expected = Catalogue.Generate(Catalogue.ElementsDirectory(root));
        var actual = File.Exists(Catalogue.DocumentPath(root)) ? File.ReadAllText(Catalogue.DocumentPath(root)) : "";
        Assert.AreEqual(expected, actual,
            $"docs/elements.md is stale: run `{Catalogue.RegenerateCommand}` in {root} and commit the result.");
    }

    [TestMethod]
    public void Parse_WellFormedReadme_GivesSummaryVariablesAndSupport()
    {
        var readme = ElementReadme.Parse("demo", """
            # demo
            Does one thing, e.g. this. It also does
            more on the next line.

            ## Variables
            | Variable | Default | Meaning |
            |---|---|---|
            | `DIB_DEMO_A` | `1` | a |
            | `DIB_DEMO_B` | | b |

            ## Support
            Distros: debian, ubuntu
            Architectures: all
            Boot test: no
            """, "demo/README.md");
        Assert.AreEqual("Does one thing, e.g. this.", readme.Summary);
        CollectionAssert.AreEqual(new[] { "`DIB_DEMO_A`", "`DIB_DEMO_B`" }, readme.Variables.ToList());
        Assert.AreEqual("debian, ubuntu", readme.Distros);
        Assert.AreEqual("all", readme.Architectures);
        Assert.AreEqual("no", readme.BootTest);
    }

    [TestMethod]
    public void Parse_MissingSectionOrWrongTitle_FailsNamingTheFileAndWhatIsMissing()
    {
        var noSupport = Assert.ThrowsExactly<FormatException>(() => ElementReadme.Parse("demo", "# demo\nText.\n\n## Variables\nNone.\n", "demo/README.md"));
        StringAssert.Contains(noSupport.Message, "demo/README.md: the section '## Support' is missing");
        var wrongTitle = Assert.ThrowsExactly<FormatException>(() => ElementReadme.Parse("demo", "# other\nText.\n", "demo/README.md"));
        StringAssert.Contains(wrongTitle.Message, "'# demo'");
        var noBootTest = Assert.ThrowsExactly<FormatException>(() => ElementReadme.Parse("demo",
            "# demo\nText.\n\n## Variables\nNone.\n\n## Support\nDistros: debian\nArchitectures: all\n", "demo/README.md"));
        StringAssert.Contains(noBootTest.Message, "Boot test:");
    }
}
