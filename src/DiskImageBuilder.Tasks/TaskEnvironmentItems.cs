using DiskImageBuilder.Phases;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Reads ElementEnvironment items (metadata Value or FromEnvironment) for the engine.</summary>
internal static class TaskEnvironmentItems
{
    public static IReadOnlyList<UserVariables.Item> From(ITaskItem[] items) =>
        [.. items.Select(i => new UserVariables.Item(i.ItemSpec, i.GetMetadata("Value"), i.GetMetadata("FromEnvironment")))];
}
