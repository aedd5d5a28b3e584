using DiskImageBuilder.Elements;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>Reads ResolvedElement items back into engine elements.</summary>
internal static class TaskElements
{
    public static IReadOnlyList<Element> From(ITaskItem[] items) =>
        [.. items.Select(i => new Element(i.ItemSpec, i.GetMetadata("Path"), [],
            i.GetMetadata("Provides").Split(';', StringSplitOptions.RemoveEmptyEntries)))];
}
