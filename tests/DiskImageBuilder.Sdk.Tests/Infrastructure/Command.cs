using System.Diagnostics;
using System.Text;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>Runs a program to completion with a timeout, capturing stdout and stderr together.</summary>
internal static class Command
{
    public static ProcessResultText Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null, bool includeStandardError = true)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && includeStandardError) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output)
            return new ProcessResultText(process.ExitCode, output.ToString());
    }

    /// <summary>Runs and fails the test with the output if the program fails.</summary>
    public static string RunChecked(string program, params string[] arguments) => RunChecked(program, arguments, true);

    /// <summary>Runs, fails the test on failure, and returns stdout only (stderr is in the failure message).</summary>
    public static string StandardOutput(string program, params string[] arguments)
    {
        var result = Run(program, arguments);
        if (result.ExitCode != 0)
            Assert.Fail($"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}");
        return Run(program, arguments, includeStandardError: false).Output;
    }

    private static string RunChecked(string program, string[] arguments, bool includeStandardError)
    {
        var result = Run(program, arguments, includeStandardError: includeStandardError);
        if (result.ExitCode != 0)
            Assert.Fail($"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}");
        return result.Output;
    }
}
