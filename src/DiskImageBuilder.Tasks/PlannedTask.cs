using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Base of the tasks that act on a planned build: PlanImageBuild leaves the build's <see cref="ImageBuildPlan"/> in
/// MSBuild's task-object registry for the rest of the build, and these tasks find it by the work folder. A target
/// that runs before _DibPlan (an overridden DependsOn chain in the wrong order) fails with DIB1005 instead of
/// acting on stale state.
/// </summary>
public abstract class PlannedTask : DibTask
{
    /// <summary>The build's work folder (obj/&lt;Configuration&gt;/&lt;TargetArch&gt;/dib/).</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    internal static string RegistryKey(string workDirectory) =>
        "DiskImageBuilder.Plan:" + Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory));

    protected ImageBuildPlan Plan =>
        BuildEngine4.GetRegisteredTaskObject(RegistryKey(WorkDirectory), RegisteredTaskObjectLifetime.Build) as ImageBuildPlan
        ?? throw new DibException(ErrorCodes.PlanMissing,
            $"{GetType().Name} ran before the image build was planned for {WorkDirectory}. Target _DibPlan must run first: " +
            "if you override DiskImageBuildDependsOn or call an image target directly, keep ResolveElements and _DibPlan before it.");
}
