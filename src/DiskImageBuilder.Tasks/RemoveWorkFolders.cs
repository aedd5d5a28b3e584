using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Sandbox;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// dotnet clean's removal of the work folder: as MSBuild's RemoveDir in a root build; in a build as an ordinary user
/// through the build's user namespace, since the tree holds folders of the image's other owners (apt's partial/, a dev
/// user's home) that the user may only remove there.
/// </summary>
public sealed class RemoveWorkFolders : DibTask
{
    [Required]
    public ITaskItem[] Directories { get; set; } = [];

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        foreach (var directory in Directories.Select(d => Path.GetFullPath(d.ItemSpec)))
        {
            TreeRemoval.Delete(directory);
            log.Detail($"Removed {directory}");
        }
        return Task.CompletedTask;
    }
}
