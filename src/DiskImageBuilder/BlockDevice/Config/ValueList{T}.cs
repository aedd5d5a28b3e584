using System.Collections;
using System.Runtime.CompilerServices;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// An immutable list that compares by its items, in order. The configuration records hold their lists in it so
/// that two records describing the same layout are equal, which plain arrays and lists would not make them.
/// </summary>
/// <typeparam name="T">The item type; its own equality decides the list's.</typeparam>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    /// <summary>Copies <paramref name="items"/>; later changes to the source do not show.</summary>
    public ValueList(IEnumerable<T> items) => _items = [.. items];

    /// <summary>The list without items.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueList<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>The items, comma separated, for messages and test failures.</summary>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
