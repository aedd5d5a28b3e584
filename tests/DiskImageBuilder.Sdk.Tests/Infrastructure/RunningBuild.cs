using System.Diagnostics;
using System.Text;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>A `dotnet build` started in the background, so a test can cancel or kill it mid-phase.</summary>
internal sealed class RunningBuild : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public RunningBuild(ImageProject project, params string[] arguments)
    {
        // As ImageProject's builds: under the project's RunUnder (another user), with its environment on top.
        var start = new ProcessStartInfo(project.RunUnder.Count > 0 ? project.RunUnder[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project.Directory,
        };
        var dotnet = project.RunUnder.Count > 0 ? [.. project.RunUnder.Skip(1), "dotnet"] : Array.Empty<string>();
        foreach (var argument in dotnet.Concat(["build", project.ProjectPath, "-nr:false", "-v:normal", .. arguments]))
            start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment.Remove("NUGET_PACKAGES");
        start.Environment["DiskImageCacheDir"] = ImageProject.CacheDirectory;
        foreach (var (name, value) in project.Environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Waits until the build prints <paramref name="text"/>; fails the test with the output if it does not.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (watch.Elapsed > timeout || _process.HasExited)
                Assert.Fail($"The build did not print '{text}' within {timeout}:\n{Output}");
            Thread.Sleep(200);
        }
    }

    public void Signal(string signal) => Command.RunChecked("kill", "-" + signal, ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Waits for the build to exit and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            Assert.Fail($"The build did not exit within {timeout}:\n{Output}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
