using System.Diagnostics;

namespace DiskImageBuilder.Tests.Sandbox;

/// <summary>
/// A throw-away image tree made of the host's own bash and a few programs with their libraries,
/// enough for a chroot script, plus a hooks folder and a sandbox folder; everything is deleted on
/// dispose. Each test owns one.
/// </summary>
internal sealed class MiniChrootTree : IDisposable
{
    private static readonly string[] Programs =
        ["bash", "env", "cat", "cut", "true", "sort", "find", "mkdir", "mv", "ln", "rm", "grep", "mknod", "mount", "chroot", "hostname", "chown", "stat", "touch"];

    public MiniChrootTree()
    {
        Folder = Directory.CreateTempSubdirectory("dib-sandbox-test-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Folder, "tree")).FullName;
        Hooks = Directory.CreateDirectory(Path.Combine(Folder, "hooks")).FullName;
        Sandbox = Path.Combine(Folder, "sandbox");
        try
        {
            foreach (var dir in new[] { "etc", "tmp", "proc", "sys", "dev", "usr/bin" })
                Directory.CreateDirectory(Path.Combine(Root, dir));
            foreach (var program in Programs)
                CopyWithLibraries(program);
            if (!Path.Exists(Path.Combine(Root, "bin")))
                File.CreateSymbolicLink(Path.Combine(Root, "bin"), "usr/bin");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The test's folder: holds the tree, the hooks, the sandbox and anything "on the host".</summary>
    public string Folder { get; }

    public string Root { get; }

    public string Hooks { get; }

    public string Sandbox { get; }

    /// <summary>Writes an executable script into the hooks folder; returns its path inside the chroot.</summary>
    public string AddScript(string name, string body)
    {
        var path = Path.Combine(Hooks, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return "/tmp/in_target.d/" + name;
    }

    public void Dispose()
    {
        // Only ever plain files here: the mounts lived in the sandbox's own namespace.
        foreach (var link in Directory.EnumerateFileSystemEntries(Folder, "*", SearchOption.AllDirectories)
                     .Where(p => new FileInfo(p).LinkTarget is not null).ToList())
            File.Delete(link);
        Directory.Delete(Folder, recursive: true);
    }

    private void CopyWithLibraries(string program)
    {
        var path = Run("bash", "-c", $"type -P {program}").Trim();
        if (path.Length == 0)
            return;
        var files = new List<string> { path };
        files.AddRange(Run("ldd", path).Split('\n')
            .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith('/')))
            .OfType<string>());
        foreach (var file in files)
        {
            var target = Path.Combine(Root, file.TrimStart('/'));
            if (File.Exists(target))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
