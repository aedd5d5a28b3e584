using System.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

/// <summary>
/// Runs the tools that read results back independently of our writers (sfdisk, partx, sgdisk, tar, skopeo, ...).
/// A missing tool fails the test and names the package to install: a check that passes without its checker
/// would prove nothing.
/// </summary>
internal static class HostTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Debian keeps sfdisk in /usr/sbin, which is not on an ordinary user's PATH.
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Runs <paramref name="tool"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string tool, string debianPackage, params string[] arguments) =>
        RunWithInput(tool, debianPackage, "", arguments);

    /// <summary>As <see cref="Run"/>, with <paramref name="standardInput"/> fed to the tool (sfdisk reads its script there).</summary>
    public static string RunWithInput(string tool, string debianPackage, string standardInput, params string[] arguments) =>
        Execute(tool, debianPackage, standardInput, arguments).Output;

    /// <summary>
    /// As <see cref="Run"/>, but returns standard error as well: sgdisk reports bad CRCs on standard error and
    /// still exits with 0.
    /// </summary>
    public static (string Output, string Error) RunForOutputAndError(string tool, string debianPackage, params string[] arguments) =>
        Execute(tool, debianPackage, "", arguments);

    private static (string Output, string Error) Execute(string tool, string debianPackage, string standardInput, string[] arguments)
    {
        string path = Require(tool, debianPackage);
        var startInfo = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // A fixed locale keeps the output the parser expects on every machine.
        startInfo.Environment["LC_ALL"] = "C";

        string commandLine = $"{path} {string.Join(' ', arguments)}";
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {commandLine}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{commandLine} did not finish within {Timeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail($"{commandLine} exited with {process.ExitCode}: {error.GetAwaiter().GetResult()}");
        }

        return (output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>The full path of <paramref name="tool"/>; fails the test naming the package when it is missing.</summary>
    public static string Require(string tool, string debianPackage)
    {
        var pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in pathDirectories.Concat(SystemDirectories))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' was not found on PATH or in {string.Join(", ", SystemDirectories)}. " +
            $"These tests need it; install the Debian package '{debianPackage}' (apt-get install {debianPackage}).");
        return tool;
    }
}
