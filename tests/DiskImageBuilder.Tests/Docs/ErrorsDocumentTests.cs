using System.Reflection;
using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.Docs;

/// <summary>
/// docs/errors.md is where every error's help link points: each code has one row, with the anchor the link names,
/// in ascending order, and no code the SDK or its elements raise is missing.
/// </summary>
[TestClass]
public sealed partial class ErrorsDocumentTests
{
    [GeneratedRegex(@"^\| <a id=""(?<anchor>[^""]+)""></a>(?<code>DIB\d{4})\b", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^\|\s*(<a [^>]*></a>)?DIB\d", RegexOptions.Multiline)]
    private static partial Regex AnyCodeRow();

    [GeneratedRegex(@"\b(?<code>DIB2[2-8]\d{2}): ")]
    private static partial Regex ScriptReportedCode();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiskImageBuilder.Sdk.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DiskImageBuilder.Sdk.sln above {AppContext.BaseDirectory}");
    }

    private static List<(string Anchor, string Code)> Rows()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));
        Assert.AreEqual(AnyCodeRow().Matches(text).Count, Row().Matches(text).Count,
            "every row of a code starts with its anchor, <a id=\"dibNNNN\"></a>");
        return Row().Matches(text).Select(m => (m.Groups["anchor"].Value, m.Groups["code"].Value)).ToList();
    }

    [TestMethod]
    public void EveryRow_HasTheAnchorItsHelpLinkNames_AndCodesAscendOnce()
    {
        var rows = Rows();

        Assert.IsGreaterThan(50, rows.Count);
        foreach (var (anchor, code) in rows)
            Assert.AreEqual(code.ToLowerInvariant(), anchor, $"the anchor of {code}");
        var codes = rows.Select(r => r.Code).ToList();
        CollectionAssert.AreEqual(codes.Order(StringComparer.Ordinal).ToList(), codes, "codes are listed in ascending order");
        CollectionAssert.AllItemsAreUnique(codes, "each code is listed once");
    }

    [TestMethod]
    public void EveryErrorCodeOfTheSdk_IsListed()
    {
        var listed = Rows().Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Name: f.Name, Code: (string)f.GetRawConstantValue()!)).ToList();

        Assert.IsGreaterThan(40, constants.Count);
        var missing = constants.Where(c => !listed.Contains(c.Code)).Select(c => $"{c.Code} ({c.Name})").ToList();
        Assert.IsEmpty(missing, "not in docs/errors.md: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void EveryCodeTheBuiltInElementsReport_IsListed()
    {
        var listed = Rows().Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var elements = Path.Combine(RepositoryRoot(), "sdk", "DiskImageBuilder.Sdk", "elements");
        var reported = Directory.EnumerateFiles(elements, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .SelectMany(f => ScriptReportedCode().Matches(File.ReadAllText(f)).Select(m => (Code: m.Groups["code"].Value, File: f)))
            .ToList();

        Assert.IsNotEmpty(reported, "the elements report coded errors (sysctl, package-installs, ubuntu ...)");
        var missing = reported.Where(r => !listed.Contains(r.Code))
            .Select(r => $"{r.Code} ({Path.GetRelativePath(elements, r.File)})").Distinct().ToList();
        Assert.IsEmpty(missing, "not in docs/errors.md: " + string.Join(", ", missing));
    }
}
