namespace DiskImageBuilder.Sandbox;

/// <summary>
/// Runs one element script, outside the tree or chrooted into it, always inside a fresh private
/// mount and PID namespace (util-linux unshare). When the script ends, or the build is killed,
/// the namespace dies with its last process and every mount in it disappears.
/// </summary>
public sealed class ScriptSandbox(ProcessRunner runner, SandboxFiles files)
{
    private static readonly string[] Unshare =
        ["--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--"];

    /// <summary>Runs <paramref name="scriptPath"/> (a host path) with the environment given.</summary>
    public Task<ProcessResult> RunOutsideAsync(string scriptPath, string environmentDir,
        IReadOnlyDictionary<string, string> environment, string outputPrefix, CancellationToken cancellationToken)
    {
        files.WriteEnvironment(environment);
        return runner.RunAsync(new ProcessSpec("unshare",
            [.. Unshare, "/bin/bash", files.OutsideScript, files.Directory, environmentDir, scriptPath],
            OutputPrefix: outputPrefix, PidFile: files.PidFile), cancellationToken);
    }

    /// <summary>Runs <paramref name="scriptInChroot"/> (a path inside the tree) chrooted into <paramref name="root"/>.</summary>
    public async Task<ProcessResult> RunInChrootAsync(string root, string hooksDir, string scriptInChroot,
        IReadOnlyDictionary<string, string> environment, string outputPrefix, CancellationToken cancellationToken)
    {
        files.WriteEnvironment(environment);
        try
        {
            return await runner.RunAsync(new ProcessSpec("unshare",
                [.. Unshare, "/bin/bash", files.ChrootScript, root, hooksDir, files.Directory, scriptInChroot],
                OutputPrefix: outputPrefix, PidFile: files.PidFile), cancellationToken);
        }
        finally
        {
            RemoveMountPoints(root);
        }
    }

    /// <summary>
    /// The command that opens an interactive shell where a script ran, with the environment it had:
    /// chrooted into the tree for chroot phases, in the hooks folder otherwise (diskimage-builder's break=).
    /// </summary>
    public string ShellCommand(bool inChroot, string root, string hooksDir, string environmentDir) =>
        string.Join(' ', new[] { "unshare" }.Concat(Unshare).Concat(inChroot
            ? ["/bin/bash", files.ChrootScript, root, hooksDir, files.Directory, "/bin/bash"]
            : ["/bin/bash", files.OutsideScript, files.Directory, environmentDir, "/bin/bash"]).Select(ShellQuote.Quote));

    /// <summary>Deletes the environment file once a script is done: it may hold secrets.</summary>
    public void ForgetEnvironment() => File.Delete(files.EnvironmentFile);

    /// <summary>Removes what dib-chroot had to create in the tree as mount points.</summary>
    private static void RemoveMountPoints(string root)
    {
        var marker = Path.Combine(root, "etc", "resolv.conf.dib-created");
        if (File.Exists(marker))
        {
            File.Delete(Path.Combine(root, "etc", "resolv.conf"));
            File.Delete(marker);
        }
        foreach (var dir in new[] { "tmp/in_target.d", "tmp/dib-sandbox" })
        {
            var path = Path.Combine(root, dir);
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
                Directory.Delete(path);
        }
    }
}
