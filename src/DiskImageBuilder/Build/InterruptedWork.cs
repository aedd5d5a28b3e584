using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Build;

/// <summary>
/// Every stage and disk step marks the work folder dirty while it runs. A mark left behind means a build was
/// cancelled or killed in the middle of one: the next build stops the script sandboxes it left running, removes
/// what it left (the tree, partial outputs, stamps, the raw disk) and starts again from an empty tree. Mounts
/// need no cleanup: they lived in the killed build's private mount namespace.
/// </summary>
public static class InterruptedWork
{
    /// <summary>Cleans up after an interrupted build, if there was one; returns whether there was.</summary>
    public static bool Recover(WorkFolder work, string outputDirectory, IBuildLog log)
    {
        if (!File.Exists(work.DirtyMarker))
            return false;
        log.Progress($"An earlier build of {work.ImageName} was interrupted; starting again from an empty tree.");
        InterruptedBuild.StopLeftovers(work.Build, log);
        foreach (var folder in new[] { outputDirectory, work.Root }.Where(Directory.Exists))
            foreach (var partial in Directory.EnumerateFiles(folder, "*" + AtomicFile.PartialSuffix))
                File.Delete(partial);
        foreach (var file in new[] { work.TreeStamp, work.DiskStamp, work.RawDisk })
            File.Delete(file);
        foreach (var folder in work.InterruptibleFolders)
            Sandbox.TreeRemoval.Delete(folder);
        File.Delete(work.DirtyMarker);
        return true;
    }
}
