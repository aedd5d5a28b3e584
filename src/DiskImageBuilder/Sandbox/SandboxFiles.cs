using System.Reflection;
using System.Text;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// The sandbox folder of a build: the helper scripts (shipped inside this assembly) and the
/// environment file of the script about to run. It is bind-mounted read-only into the chroot at
/// /tmp/dib-sandbox. The environment travels in a 0600 file, not on a command line, so values
/// never show in the process table.
/// </summary>
public sealed class SandboxFiles
{
    public SandboxFiles(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var name in new[] { "dib-exec", "dib-chroot", "dib-outside" })
            WriteResource(name);
    }

    /// <summary>Absolute path of the sandbox folder.</summary>
    public string Directory { get; }

    public string ChrootScript => Path.Combine(Directory, "dib-chroot");
    public string OutsideScript => Path.Combine(Directory, "dib-outside");
    public string EnvironmentFile => Path.Combine(Directory, "env");

    /// <summary>The pid of the sandbox (unshare) running a script right now.</summary>
    public string PidFile => Path.Combine(Directory, "running.pid");

    /// <summary>
    /// Writes the environment for the next script as bash assignments, quoted. An entry named as bash passes an
    /// exported function (<c>BASH_FUNC_name%%</c>, its value the function's body) becomes that function, exported.
    /// </summary>
    public void WriteEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith("BASH_FUNC_", StringComparison.Ordinal) && name.EndsWith("%%", StringComparison.Ordinal))
            {
                var function = name["BASH_FUNC_".Length..^2];
                text.Append(function).Append(' ').Append(value).Append('\n').Append("export -f ").Append(function).Append('\n');
                continue;
            }
            text.Append(name).Append('=').Append(ShellQuote.Quote(value)).Append('\n');
        }
        File.WriteAllText(EnvironmentFile, text.ToString());
        File.SetUnixFileMode(EnvironmentFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void WriteResource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream($"DiskImageBuilder.Sandbox.{name}.sh")
            ?? throw new InvalidOperationException($"Missing embedded sandbox script {name}.sh");
        var path = Path.Combine(Directory, name);
        using (var file = File.Create(path))
            stream.CopyTo(file);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
