using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Phases;

/// <summary>
/// The environment a script of a phase sees after every environment.d file is sourced. Declarative
/// element files (package-installs `when:`, pkg-map) are evaluated against it, as diskimage-builder
/// evaluates them from inside a phase.
/// </summary>
public sealed class EnvironmentProbe(ProcessRunner runner)
{
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string sandboxDir, string environmentDir,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var probeDir = Path.Combine(sandboxDir, "probe");
        var files = new SandboxFiles(probeDir);
        files.WriteEnvironment(environment);
        var script = Path.Combine(probeDir, "print-environment");
        File.WriteAllText(script, "#!/bin/bash\nexec env -0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var output = new List<string>();
        var result = await runner.RunAsync(new ProcessSpec("/bin/bash",
            [Path.Combine(probeDir, "dib-exec"), files.EnvironmentFile, environmentDir, script]), cancellationToken, output.Add, logOutput: false);
        File.Delete(files.EnvironmentFile);
        if (!result.Succeeded)
            throw new DibException(ErrorCodes.ScriptFailed,
                $"Sourcing environment.d failed with exit code {result.ExitCode}:{Environment.NewLine}" +
                string.Join(Environment.NewLine, result.Tail.Select(l => "  | " + l)), file: environmentDir);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in string.Join('\n', output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                variables[pair[..equals]] = pair[(equals + 1)..];
        }
        return variables;
    }
}
