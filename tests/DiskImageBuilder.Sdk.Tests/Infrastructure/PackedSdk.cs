namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// The SDK packed once per test run into a private feed, with a unique prerelease version so that no
/// NuGet cache can serve stale bits, and a private package folder that the test projects use.
/// </summary>
internal sealed class PackedSdk
{
    private static readonly Lazy<PackedSdk> Shared = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    private PackedSdk(string root, string version)
    {
        Root = root;
        Version = version;
        _templateHive = new Lazy<string>(InstallTemplates, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static PackedSdk Instance => Shared.Value;

    /// <summary>Whether this run packed the SDK (and so has a folder to remove).</summary>
    public static bool WasPacked => Shared.IsValueCreated;

    /// <summary>The run's folder: feed/ and packages/.</summary>
    public string Root { get; }

    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Packages => Path.Combine(Root, "packages");

    public string PackagePath => Path.Combine(Feed, $"DiskImageBuilder.Sdk.{Version}.nupkg");

    public string TemplatesPackagePath => Path.Combine(Feed, $"DiskImageBuilder.Templates.{Version}.nupkg");

    /// <summary>The run's own `dotnet new` template store (--debug:custom-hive), with the packed templates installed once.</summary>
    public string TemplateHive => _templateHive.Value;

    private readonly Lazy<string> _templateHive;

    /// <summary>
    /// Makes <paramref name="directory"/> the root of a tree that builds with the packed SDK: a nuget.config with the run's
    /// feed and package folder, empty Directory.Build files (nothing from folders above may leak in), and, with
    /// <paramref name="pinSdk"/>, a global.json that pins the packed version.
    /// </summary>
    public void WriteProjectRoot(string directory, bool pinSdk = true)
    {
        if (pinSdk)
            File.WriteAllText(Path.Combine(directory, "global.json"), $$"""
                { "msbuild-sdks": { "DiskImageBuilder.Sdk": "{{Version}}" } }
                """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Packages}" /></config>
              <packageSources><add key="sdk-under-test" value="{Feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
    }

    private string InstallTemplates()
    {
        var hive = Path.Combine(Root, "template-hive");
        var result = Command.Run("dotnet", ["new", "install", TemplatesPackagePath, "--debug:custom-hive", hive], timeout: TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet new install {TemplatesPackagePath} failed:\n{result.Output}");
        return hive;
    }

    private static PackedSdk Pack()
    {
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        // One parent per user: a parent that a root run created is not writable for a developer's run after it.
        var root = Path.Combine(Path.GetTempPath(), $"dib-sdk-tests-{Environment.UserName}", version);
        Directory.CreateDirectory(root);
        // The SDK and its dotnet new templates, with one version, as ./build.sh packs them.
        foreach (var project in new[] { Repository.SdkProject, Repository.TemplatesProject })
        {
            var result = Command.Run("dotnet",
                ["pack", project, "-c", "Release", "-o", Path.Combine(root, "feed"), "-nr:false",
                 $"-p:DiskImageBuilderVersion={version}"], timeout: TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"dotnet pack {Path.GetFileName(project)} failed:\n{result.Output}");
        }
        return new PackedSdk(root, version);
    }
}
