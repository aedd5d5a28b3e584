using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Makes one build of a project at a time: takes an exclusive lock on a file in the project's
/// intermediate folder and keeps it, through MSBuild's task-object registry, until the build ends.
/// A second build of the same project fails fast with DIB6001 instead of sharing the tree. The lock
/// is a kernel file lock, so a killed build never leaves a stale one.
/// </summary>
public sealed class LockProjectBuild : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var lockFile = Plan.Work.LockFile;
        var key = "DiskImageBuilder.Lock:" + Path.GetFullPath(lockFile);
        if (BuildEngine4.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not null)
            return Task.CompletedTask;
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        FileStream stream;
        try
        {
            stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            // The lock file itself cannot be read while locked (.NET locks it whole); the owner is beside it.
            var owner = lockFile + ".owner";
            var holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "";
            throw new DibException(ErrorCodes.ProjectBuildRunning,
                $"Another build of this project is running ({(holder.Length > 0 ? holder : "unknown process")}) and holds {lockFile}. " +
                "Wait for it to finish, or build a copy of the project in another folder.");
        }
        File.WriteAllText(lockFile + ".owner", $"process {Environment.ProcessId} since {DateTime.UtcNow:O}");
        BuildEngine4.RegisterTaskObject(key, stream, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        log.Detail($"Locked {lockFile}");
        return Task.CompletedTask;
    }
}
