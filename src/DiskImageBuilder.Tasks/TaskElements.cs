using DiskImageBuilder.Elements;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Reads ResolvedElement items back into engine elements.</summary>
internal static class TaskElements
{
    public static IReadOnlyList<Element> From(ITaskItem[] items) =>
        [.. items.Select(i => Element.Load(i.ItemSpec, i.GetMetadata("Path")))];
}
