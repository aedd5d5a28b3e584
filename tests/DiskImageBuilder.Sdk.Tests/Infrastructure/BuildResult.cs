using System.Text.RegularExpressions;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>The outcome of a `dotnet build` of a test project: exit code, console text, coded errors.</summary>
internal sealed partial record BuildResult(int ExitCode, string Output, string BinaryLog)
{
    public bool Succeeded => ExitCode == 0;

    public IEnumerable<string> Lines() => Output.Split('\n');

    /// <summary>Distinct error lines (the console repeats them in the summary).</summary>
    public IReadOnlyList<string> Errors =>
        [.. Output.Split('\n').Where(l => ErrorLine().IsMatch(l)).Select(l => NodePrefix().Replace(l.Trim(), "")).Distinct()];

    /// <summary>The codes of the distinct errors, e.g. DIB2001.</summary>
    public IReadOnlyList<string> ErrorCodes =>
        [.. Errors.Select(l => ErrorLine().Match(l).Groups[1].Value).Distinct()];

    public void AssertSucceeded()
    {
        if (!Succeeded)
            Assert.Fail($"dotnet build failed with exit code {ExitCode}:\n{Output}");
    }

    [GeneratedRegex(@"^\d+>")]
    private static partial Regex NodePrefix();

    [GeneratedRegex(@"error (DIB\d{4}|MSB\d{4}|NU\d{4}|CS\d{4}):")]
    private static partial Regex ErrorLine();
}
