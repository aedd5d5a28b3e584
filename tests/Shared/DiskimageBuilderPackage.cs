using System.Diagnostics;

namespace DiskImageBuilder.Testing;

/// <summary>
/// diskimage-builder's own files as data for the compatibility tests: Debian's python3-diskimage-builder package,
/// fetched once per machine with <c>apt-get download</c> (the host's apt sources) and unpacked into a cache folder.
/// <c>DIB_TEST_DIB_TREE</c> names an unpacked <c>diskimage_builder</c> folder instead (e.g. a clone of its repository).
/// Nothing of it is kept in this repository.
/// </summary>
internal static class DiskimageBuilderPackage
{
    private const string PackageName = "python3-diskimage-builder";
    private static readonly Lazy<string> s_tree = new(Fetch);

    /// <summary>The <c>diskimage_builder</c> folder.</summary>
    public static string Tree => s_tree.Value;

    public static string BlockDeviceTestConfig(string name) =>
        Path.Combine(Tree, "block_device", "tests", "config", name + ".yaml");

    private static string Fetch()
    {
        if (Environment.GetEnvironmentVariable("DIB_TEST_DIB_TREE") is { Length: > 0 } given)
            return given;
        var cache = Path.Combine(Path.GetTempPath(), "dib-sdk-tests-root", "diskimage-builder-package");
        var tree = Path.Combine(cache, "root", "usr", "lib", "python3", "dist-packages", "diskimage_builder");
        if (Directory.Exists(tree))
            return tree;
        var download = Path.Combine(cache, "download");
        Directory.CreateDirectory(download);
        Run(download, "apt-get", "download", "-q", PackageName);
        var deb = Directory.GetFiles(download, PackageName + "_*.deb").Single();
        var staging = Path.Combine(cache, "root.partial");
        if (Directory.Exists(staging))
            Directory.Delete(staging, true);
        Run(download, "dpkg-deb", "-x", deb, staging);
        Directory.Move(staging, Path.Combine(cache, "root"));
        return tree;
    }

    private static void Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode} " +
                $"(diskimage-builder's files come from Debian's {PackageName}; set DIB_TEST_DIB_TREE to an unpacked copy): {error}{output.Result}");
    }
}
