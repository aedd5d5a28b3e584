using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Creates the raw disk file after post-root.d, as diskimage-builder does (<see cref="DiskBuilder.CreateAsync"/>): the
/// layout sized against what the tree holds below each mount point (or ImageSize), /etc/fstab written, a sparse file of
/// the planned size. It exists from pre-finalise.d on (IMAGE_BLOCK_DEVICE).
/// </summary>
public sealed class CreateBlockDevice : PlannedTask
{
    protected override Task ExecuteCoreAsync(IBuildLog log) => new DiskBuilder(Plan, log).CreateAsync(CancellationToken);
}
