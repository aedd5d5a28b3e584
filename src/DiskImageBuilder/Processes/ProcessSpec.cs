namespace DiskImageBuilder.Processes;

/// <summary>One external command: program, arguments, working directory and extra environment.</summary>
/// <param name="Program">Absolute path or a name found on PATH.</param>
/// <param name="Arguments">Arguments, passed without a shell.</param>
/// <param name="WorkingDirectory">Absolute working directory; null for the runner's default (/).</param>
/// <param name="Environment">Variables set on top of the inherited environment (null values unset one).</param>
/// <param name="OutputPrefix">Prefix of every streamed output line, e.g. "[install.d/50-foo] ".</param>
/// <param name="PidFile">While the process runs, its pid is kept in this file, so a later build can stop
/// it if this build is killed.</param>
public sealed record ProcessSpec(
    string Program,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string?>? Environment = null,
    string OutputPrefix = "",
    string? PidFile = null)
{
    /// <summary>The command line as a user would type it, for logs and error messages.</summary>
    public string CommandLine => string.Join(' ', new[] { Program }.Concat(Arguments).Select(ShellQuote.Quote));
}
