using System.Collections;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks.Tests;

/// <summary>
/// A build engine for running tasks without MSBuild: records every error, warning and message, and keeps the
/// task-object registry that PlanImageBuild leaves the plan in for the tasks after it.
/// </summary>
internal sealed class FakeBuildEngine : IBuildEngine4
{
    private readonly Dictionary<object, object> _registry = [];

    public List<BuildErrorEventArgs> Errors { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<BuildMessageEventArgs> Messages { get; } = [];

    public IEnumerable<string> ErrorCodes => Errors.Select(e => e.Code);
    public string Log => string.Join('\n', Messages.Select(m => m.Message).Concat(Errors.Select(e => $"{e.Code}: {e.Message}")));

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.imgproj";
    public bool IsRunningMultipleNodes => false;

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs,
        string toolsVersion) => throw new NotSupportedException();
    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties,
        IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) =>
        throw new NotSupportedException();
    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties,
        IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException();
    public void Yield() { }
    public void Reacquire() { }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _registry[key] = obj;
    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _registry.GetValueOrDefault(key);
    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) =>
        _registry.Remove(key, out var value) ? value : null;

    /// <summary>Disposes what tasks registered (the project lock), as MSBuild does when the build ends.</summary>
    public void EndBuild()
    {
        foreach (var value in _registry.Values.OfType<IDisposable>())
            value.Dispose();
        _registry.Clear();
    }
}
