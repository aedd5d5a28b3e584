using System.Diagnostics;
using CliWrap;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Processes;

/// <summary>
/// The one way the engine starts external programs: through CliWrap, with output streamed line by
/// line into the build log, the tail kept for error messages, and cancellation that kills the
/// whole process tree. In a build as an ordinary user every program starts inside the build's user namespace
/// (<see cref="Sandbox.UserNamespace"/>), where the user is root and the tree's owners are those of a root build.
/// </summary>
public sealed class ProcessRunner(IBuildLog log)
{
    /// <summary>Number of output lines kept for error messages.</summary>
    public const int TailLines = 25;

    /// <summary>Runs the command; a non-zero exit code is returned, not thrown.</summary>
    /// <param name="capture">Receives every stdout line, when the caller needs the output itself.</param>
    /// <param name="logOutput">False keeps the output out of the build log (it may carry the environment).</param>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken,
        Action<string>? capture = null, bool logOutput = true)
    {
        var tail = new OutputTail(TailLines);
        void OnLine(string line)
        {
            tail.Add(line);
            if (logOutput)
                log.Output(spec.OutputPrefix + line);
        }
        void OnStdout(string line)
        {
            capture?.Invoke(line);
            if (capture is null)
                OnLine(line);
        }

        log.Detail($"Running: {spec.CommandLine}");
        var run = Sandbox.UserNamespace.Current is { } userNamespace ? userNamespace.Wrap(spec) : spec;
        var command = Cli.Wrap(run.Program)
            .WithArguments(run.Arguments)
            .WithWorkingDirectory(spec.WorkingDirectory ?? "/")
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(OnStdout))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine))
            .WithValidation(CommandResultValidation.None);
        if (spec.Environment is { Count: > 0 } env)
            command = command.WithEnvironmentVariables(env);

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var task = command.ExecuteAsync(cancellationToken);
            if (spec.PidFile is not null)
                await File.WriteAllTextAsync(spec.PidFile, task.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
            CommandResult result;
            try
            {
                result = await task;
            }
            finally
            {
                if (spec.PidFile is not null)
                    File.Delete(spec.PidFile);
            }
            return new ProcessResult(result.ExitCode, stopwatch.Elapsed, tail.Snapshot(), spec.CommandLine);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new DibException(ErrorCodes.MissingHostTools,
                $"Could not start '{spec.Program}': {ex.Message}. Install the package that provides it.", inner: ex);
        }
    }

    /// <summary>Runs the command and throws <paramref name="code"/> with the output tail if it fails.</summary>
    public async Task<ProcessResult> RunCheckedAsync(ProcessSpec spec, string code, string what, CancellationToken cancellationToken)
    {
        var result = await RunAsync(spec, cancellationToken);
        if (!result.Succeeded && DiskSpace.IsOutOfSpace(result.Tail))
            throw DiskSpace.OutOfSpace(spec.Arguments.LastOrDefault(a => a.StartsWith('/')) ?? spec.WorkingDirectory ?? "/",
                what, null, result.Tail);
        if (!result.Succeeded)
            throw new DibException(code,
                $"{what} failed with exit code {result.ExitCode}: {result.CommandLine}{Environment.NewLine}" +
                string.Join(Environment.NewLine, result.Tail.Select(l => "  | " + l)));
        return result;
    }
}
