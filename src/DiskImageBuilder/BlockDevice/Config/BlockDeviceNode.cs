namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// One node of the block-device graph: something that is created (an image, a partition table, a partition,
/// a volume, a filesystem, a mount, an fstab line) on top of the nodes it names as its base.
/// Equality ignores <see cref="SourceLine"/>: two nodes are equal when they describe the same thing, so the
/// tree and the graph notation of one layout compare equal although their lines differ.
/// </summary>
/// <param name="Name">The node's name, unique in the whole configuration; other nodes reference it as their base.</param>
/// <param name="SourceLine">The 1-based line of the YAML that declared the node; errors point at it.</param>
public abstract record BlockDeviceNode(string Name, int SourceLine)
{
    /// <summary>The node's type as the YAML writes it: <c>local_loop</c>, <c>partitioning</c>, <c>mkfs</c>…</summary>
    public abstract string Kind { get; }

    /// <summary>The names of the nodes that must exist before this one: the graph's edges point from them to this node.</summary>
    public abstract IReadOnlyList<string> DependsOn { get; }

    /// <inheritdoc />
    public virtual bool Equals(BlockDeviceNode? other) =>
        ReferenceEquals(this, other)
        || other is not null && EqualityContract == other.EqualityContract && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EqualityContract, Name);

    /// <summary>How messages name the node: <c>mkfs 'mkfs_root'</c>.</summary>
    public string Describe() => $"{Kind} '{Name}'";
}
