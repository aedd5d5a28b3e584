namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>What a child process printed and how it ended.</summary>
internal sealed record ProcessResultText(int ExitCode, string Output)
{
    public IEnumerable<string> Lines => Output.Split('\n');
}
