using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DiskImageBuilder.Tasks.Tests;

/// <summary>
/// A throw-away project folder for one test, with the SDK's built-in elements and a folder for the user's own; runs
/// tasks against one <see cref="FakeBuildEngine"/>, as one build of the project would.
/// </summary>
internal sealed class TaskProject : IDisposable
{
    public TaskProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dib-tasks-").FullName;
        ElementsDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "elements")).FullName;
    }

    public string Directory { get; }
    public string ElementsDirectory { get; }
    public string WorkDirectory => Path.Combine(Directory, "obj", "Debug", "amd64", "dib");
    public string OutputDirectory => Path.Combine(Directory, "bin", "Debug", "amd64");
    public FakeBuildEngine Engine { get; private set; } = new();

    public static string BuiltInElements => Path.Combine(AppContext.BaseDirectory, "elements");

    /// <summary>Writes a file of one of the project's own elements and returns its path.</summary>
    public string AddElementFile(string element, string relativePath, string content, bool executable = false)
    {
        var path = Path.Combine(ElementsDirectory, element, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (executable)
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Runs a task on this project's engine and returns whether it succeeded.</summary>
    public bool Run(ITask task)
    {
        task.BuildEngine = Engine;
        return task.Execute();
    }

    /// <summary>Ends the build (its plan and lock go) and starts a new one, as a second dotnet build would.</summary>
    public void NextBuild()
    {
        Engine.EndBuild();
        Engine = new FakeBuildEngine();
    }

    public ResolveElements Resolve(params string[] elements) => new()
    {
        Elements = [.. elements.Select(e => (ITaskItem)new TaskItem(e))],
        ElementsPath = ElementsDirectory,
        BuiltInElementsDirectory = BuiltInElements,
        ProjectDirectory = Directory,
        TargetArch = "amd64",
    };

    /// <summary>A plan task as Sdk.targets calls it, with the properties' defaults; no host check (no root here).</summary>
    public PlanImageBuild Plan(ResolveElements resolved, Action<PlanImageBuild>? configure = null)
    {
        var task = new PlanImageBuild
        {
            WorkDirectory = WorkDirectory,
            OutputDirectory = OutputDirectory,
            ProjectDirectory = Directory,
            ResolvedElements = resolved.ResolvedElements,
            SearchPath = resolved.SearchPath,
            BuiltInElementsDirectory = BuiltInElements,
            ImageName = "test",
            TargetArch = resolved.NormalizedTargetArch,
            CacheDirectory = Path.Combine(Directory, "cache"),
            CheckHost = false,
        };
        configure?.Invoke(task);
        return task;
    }

    public void Dispose()
    {
        Engine.EndBuild();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
