using DiskImageBuilder.Elements;
using DiskImageBuilder.Phases;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Items to and from the engine's types: one place for the metadata names the targets use.</summary>
internal static class TaskItems
{
    public static ITaskItem Create(string identity, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(identity);
        foreach (var (name, value) in metadata)
            item.SetMetadata(name, value);
        return item;
    }

    /// <summary>ResolvedElement items (metadata Path) back into engine elements.</summary>
    public static IReadOnlyList<Element> Elements(ITaskItem[] items) =>
        [.. items.Select(i => Element.Load(i.ItemSpec, i.GetMetadata("Path")))];

    /// <summary>ElementEnvironment items (metadata Value or FromEnvironment).</summary>
    public static IReadOnlyList<UserVariables.Item> Environment(ITaskItem[] items) =>
        [.. items.Select(i => new UserVariables.Item(i.ItemSpec, i.GetMetadata("Value"), i.GetMetadata("FromEnvironment"),
            string.Equals(i.GetMetadata("Secret"), "true", StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Items with metadata Value as a dictionary (labels, variables).</summary>
    public static IReadOnlyDictionary<string, string> Values(ITaskItem[] items) =>
        items.ToDictionary(i => i.ItemSpec, i => i.GetMetadata("Value"), StringComparer.Ordinal);
}
