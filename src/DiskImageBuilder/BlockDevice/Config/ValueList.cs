namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>Builds <see cref="ValueList{T}"/> from collection expressions: <c>ValueList&lt;string&gt; flags = ["boot"];</c>.</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? ValueList<T>.Empty : new ValueList<T>(items.ToArray());
}
