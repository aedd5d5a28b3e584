using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// Runs one element script, outside the tree or chrooted into it, always inside a fresh private
/// mount, IPC, UTS and PID namespace (util-linux unshare). When the script ends, or the build is
/// killed, the namespace dies with its last process and every mount in it disappears.
/// </summary>
public sealed class ScriptSandbox(ProcessRunner runner, SandboxFiles files)
{
    private static readonly string[] Unshare =
        ["--mount", "--propagation", "private", "--ipc", "--uts", "--pid", "--fork", "--kill-child", "--"];

    /// <summary>The folders of the tree dib-chroot creates when missing and mounts on.</summary>
    private static readonly string[] MountPoints = ["proc", "sys", "dev", "tmp/in_target.d", "tmp/dib-sandbox"];

    /// <summary>
    /// Runs <paramref name="scriptPath"/> (a host path) with the environment given, in <paramref name="workingDirectory"/>:
    /// a folder of the build's own, since diskimage-builder's host-side scripts write relative paths (its baremetal
    /// element copies the kernel to <c>$IMAGE_NAME.vmlinuz</c>), which diskimage-builder resolves in the folder it was
    /// started in and which must never land in the host's own folders.
    /// </summary>
    public Task<ProcessResult> RunOutsideAsync(string scriptPath, string environmentDir,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, string outputPrefix, CancellationToken cancellationToken)
    {
        files.WriteEnvironment(environment);
        return runner.RunAsync(new ProcessSpec("unshare",
            [.. Unshare, "/bin/bash", files.OutsideScript, files.Directory, environmentDir, scriptPath],
            WorkingDirectory: workingDirectory, OutputPrefix: outputPrefix, PidFile: files.PidFile), cancellationToken);
    }

    /// <summary>Runs <paramref name="scriptInChroot"/> (a path inside the tree) chrooted into <paramref name="root"/>.</summary>
    public async Task<ProcessResult> RunInChrootAsync(string root, string hooksDir, string scriptInChroot,
        IReadOnlyDictionary<string, string> environment, string outputPrefix, CancellationToken cancellationToken)
    {
        CheckMountPoints(root, hooksDir);
        files.WriteEnvironment(environment);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(new ProcessSpec("unshare",
                [.. Unshare, "/bin/bash", files.ChrootScript, root, hooksDir, files.Directory, scriptInChroot],
                OutputPrefix: outputPrefix, PidFile: files.PidFile), cancellationToken);
        }
        catch
        {
            RemoveMountPoints(root);
            throw;
        }
        if (RemoveMountPoints(root) is { } unsafePath)
            throw TreePaths.Unsafe(unsafePath.Path, unsafePath.Relative, "removes the mount point");
        return result;
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

    /// <summary>
    /// Throws DIB5050 if a path dib-chroot creates or mounts on goes through a symbolic link. dib-chroot
    /// checks the same itself; this check comes first so the build fails with the code and the path.
    /// </summary>
    private static void CheckMountPoints(string root, string hooksDir)
    {
        foreach (var dir in MountPoints)
            TreePaths.Check(root, dir, "creates and mounts on");
        TreePaths.Check(root, "etc", "mounts the host's resolv.conf read-only in");
        var binds = Path.Combine(hooksDir, "chroot-binds");
        if (!File.Exists(binds))
            return;
        foreach (var line in File.ReadLines(binds))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2)
                TreePaths.Check(root, fields[1], "creates and mounts a cache on");
        }
    }

    /// <summary>
    /// Removes what dib-chroot had to create in the tree as mount points, never through a symbolic
    /// link: the script that just ran may have replaced a folder with one. Returns the first such
    /// path (left alone), or null.
    /// </summary>
    private static (string Path, string Relative)? RemoveMountPoints(string root)
    {
        (string, string)? refused = null;
        var marker = Path.Combine(root, "etc", "resolv.conf.dib-created");
        var resolvConf = Path.Combine(root, "etc", "resolv.conf");
        if (TreePaths.FirstUnsafeComponent(root, "etc") is { } unsafeEtc)
            refused = (unsafeEtc, "etc/resolv.conf");
        else if (File.Exists(marker) && new FileInfo(marker).LinkTarget is null)
        {
            if (new FileInfo(resolvConf).LinkTarget is null)
                File.Delete(resolvConf);
            File.Delete(marker);
        }
        foreach (var dir in new[] { "tmp/in_target.d", "tmp/dib-sandbox" })
        {
            if (TreePaths.FirstUnsafeComponent(root, dir) is { } unsafePath)
            {
                refused ??= (unsafePath, dir);
                continue;
            }
            var path = Path.Combine(root, dir);
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
                Directory.Delete(path);
        }
        return refused;
    }
}
