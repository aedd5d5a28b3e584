namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// A throw-away .imgproj in its own folder, wired to the packed SDK through global.json and a
/// nuget.config of its own (private feed and package folder), built with a real `dotnet build`.
/// </summary>
internal sealed class ImageProject : IDisposable
{
    private int _builds;

    private ImageProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    public string Directory { get; }

    public string Name { get; }

    public string ProjectPath => Path.Combine(Directory, Name + ".imgproj");

    /// <summary>Variables set (or, with null, unset) for this project's builds on top of the test run's.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    /// <summary>A program and its arguments that dotnet runs under (for example unshare with another hostname); empty for none.</summary>
    public IReadOnlyList<string> RunUnder { get; set; } = [];

    /// <summary>The stage and download cache of this test run.</summary>
    public static string CacheDirectory => Path.Combine(PackedSdk.Instance.Root, "cache");

    public string OutputDirectory(string arch = "amd64", string configuration = "Debug") =>
        Path.Combine(Directory, "bin", configuration, arch);

    public string IntermediateDirectory(string arch = "amd64", string configuration = "Debug") =>
        Path.Combine(Directory, "obj", configuration, arch);

    /// <summary>Whether the build's tree (obj/…/dib/tree) holds anything: a bad input must stop before it is touched.</summary>
    public bool TreeTouched()
    {
        var tree = Path.Combine(IntermediateDirectory(), "dib", "tree");
        return System.IO.Directory.Exists(tree) && System.IO.Directory.EnumerateFileSystemEntries(tree).Any();
    }

    /// <summary>Creates the project folder; <paramref name="body"/> goes inside &lt;Project&gt;.</summary>
    public static ImageProject Create(string name, string body, string? copyFrom = null) => Create(name, body, copyFrom, null);

    /// <summary>
    /// A project made by `dotnet new imgproj -n NAME TEMPLATE-OPTIONS` from the packed templates, in the test run's template
    /// store; its global.json is the template's (which must pin the packed SDK's version).
    /// </summary>
    public static ImageProject CreateFromTemplate(string name, params string[] templateOptions) =>
        Create(name, "", null, templateOptions);

    private static ImageProject Create(string name, string body, string? copyFrom, string[]? templateOptions)
    {
        var sdk = PackedSdk.Instance;
        var directory = Path.Combine(sdk.Root, "projects", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        System.IO.Directory.CreateDirectory(directory);
        if (copyFrom is not null)
            Command.RunChecked("cp", "-a", copyFrom + "/.", directory);
        var project = new ImageProject(directory, name);
        if (templateOptions is not null)
        {
            var created = Command.Run("dotnet", ["new", "imgproj", "-n", name, "-o", directory, "--debug:custom-hive", sdk.TemplateHive, .. templateOptions],
                directory, TimeSpan.FromMinutes(3));
            File.WriteAllText(Path.Combine(directory, "new-imgproj.log"), created.Output);
            if (created.ExitCode != 0 || !File.Exists(project.ProjectPath))
                Assert.Fail($"dotnet new imgproj {string.Join(' ', templateOptions)} failed ({created.ExitCode}):\n{created.Output}");
        }
        sdk.WriteProjectRoot(directory, pinSdk: templateOptions is null);
        if (copyFrom is null && templateOptions is null)
            File.WriteAllText(project.ProjectPath, $"<Project Sdk=\"DiskImageBuilder.Sdk\">\n{body}\n</Project>\n");
        return project;
    }

    /// <summary>Runs `dotnet new dib-element -n NAME` in the project's elements/ folder, from the packed templates.</summary>
    public void AddElementFromTemplate(string name)
    {
        var elements = Path.Combine(Directory, "elements");
        System.IO.Directory.CreateDirectory(elements);
        var created = Command.Run("dotnet", ["new", "dib-element", "-n", name, "--debug:custom-hive", PackedSdk.Instance.TemplateHive],
            elements, TimeSpan.FromMinutes(3));
        File.WriteAllText(Path.Combine(Directory, $"new-dib-element-{name}.log"), created.Output);
        if (created.ExitCode != 0 || !System.IO.Directory.Exists(Path.Combine(elements, name)))
            Assert.Fail($"dotnet new dib-element -n {name} failed ({created.ExitCode}):\n{created.Output}");
    }

    /// <summary>Adds XML inside the project file's &lt;Project&gt;, before its end.</summary>
    public void AddToProject(string xml)
    {
        var text = File.ReadAllText(ProjectPath);
        var end = text.LastIndexOf("</Project>", StringComparison.Ordinal);
        File.WriteAllText(ProjectPath, text[..end] + xml + "\n" + text[end..]);
    }

    /// <summary>Copies an element folder of the test assembly (TestElements/NAME) into elements/ of the project.</summary>
    public void AddTestElement(string name)
    {
        var target = Path.Combine(Directory, "elements");
        System.IO.Directory.CreateDirectory(target);
        Command.RunChecked("cp", "-a", Path.Combine(Repository.TestElements, name), target);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(target, name), "*", SearchOption.AllDirectories))
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file))!;
            if ((folder.EndsWith(".d", StringComparison.Ordinal) && folder != "environment.d") || folder == "bin")
                File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        }
    }

    // Builds in the background (ForeignArchitectureBuild) append to build-times.tsv beside the test that runs.
    private static readonly Lock BuildTimesGate = new();

    /// <summary>Runs `dotnet build` (or another verb) on the project, with a binary log per build.</summary>
    public BuildResult Build(params string[] arguments) => Run("build", arguments);

    public BuildResult Run(string verb, params string[] arguments) => Run(verb, TimeSpan.FromMinutes(20), arguments);

    /// <summary>As <see cref="Run(string, string[])"/>, with a time limit of its own (emulated builds are slow).</summary>
    public BuildResult Run(string verb, TimeSpan timeout, params string[] arguments) =>
        RunDotnet(verb, timeout, [verb, ProjectPath, "-nr:false", "-v:normal", .. arguments]);

    /// <summary>
    /// Runs `dotnet ARGUMENTS` in the project folder with the test run's environment (a solution build, `dotnet sln`);
    /// a binary log is added when the first argument is a build verb.
    /// </summary>
    public BuildResult RunDotnet(string verb, TimeSpan timeout, IReadOnlyList<string> arguments)
    {
        var binlog = Path.Combine(Directory, $"{verb}-{++_builds}.binlog");
        var started = System.Diagnostics.Stopwatch.StartNew();
        string[] withLog = arguments[0] is "build" or "publish" or "msbuild" or "pack" or "clean" ? [.. arguments, $"-bl:{binlog}"] : [.. arguments];
        var result = Command.Run(RunUnder.Count > 0 ? RunUnder[0] : "dotnet", RunUnder.Count > 0 ? [.. RunUnder.Skip(1), "dotnet", .. withLog] : withLog,
            Directory, timeout,
            new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = null,
                ["MSBUILDDISABLENODEREUSE"] = "1",
                // The test run's own stage cache: tests never read or fill the user's.
                ["DiskImageCacheDir"] = CacheDirectory,
                // Debian builds after the run's first start from its bootstrap (the debootstrap element's tarball
                // cache, keyed by what the bootstrap reads); a test that needs a real bootstrap sets it to 0.
                ["DIB_DEBOOTSTRAP_CACHE"] = "1",
            }.Concat(Environment).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        File.WriteAllText(Path.Combine(Directory, $"{verb}-{_builds}.log"), result.Output);
        // One line per build of the run, to see where the suite's time goes.
        lock (BuildTimesGate)
            File.AppendAllText(Path.Combine(System.IO.Directory.GetParent(Directory)!.FullName, "build-times.tsv"),
                $"{DateTime.UtcNow:HH:mm:ss}\t{Name}\t{verb}\t{started.Elapsed.TotalSeconds:F0}\t{result.ExitCode}\n");
        return new BuildResult(result.ExitCode, result.Output, binlog);
    }

    public void Dispose()
    {
        // DIB_KEEP_TEST_PROJECTS=1 keeps the folders (logs, binary logs, trees) for a look after a failure.
        if (System.Environment.GetEnvironmentVariable("DIB_KEEP_TEST_PROJECTS") == "1")
            return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the run's temp root and is kept for inspection.
        }
    }
}
