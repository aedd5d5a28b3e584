namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// A checked block-device configuration: the graph of nodes, tree notation already unfolded. Only
/// <see cref="BlockDeviceConfigParser"/> makes one, after every check has passed, so whoever holds one can create
/// the layout without meeting a configuration error half way.
/// Two configurations are equal when they have the same nodes and edges, whatever their order, notation, lines
/// or source.
/// </summary>
public sealed record BlockDeviceConfig
{
    private readonly Dictionary<string, BlockDeviceNode> _byName;

    internal BlockDeviceConfig(string sourceName, ValueList<BlockDeviceNode> nodes, ValueList<BlockDeviceEdge> edges)
    {
        SourceName = sourceName;
        Nodes = nodes;
        Edges = edges;
        _byName = nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
    }

    /// <summary>What the configuration was read from: a file path or a description such as DIB_BLOCK_DEVICE_CONFIG.</summary>
    public string SourceName { get; }

    /// <summary>
    /// Every node, in an order that creates each one after its bases; among nodes that could go in either order,
    /// the one declared first in the YAML comes first. Partitions and LVM volumes are nodes of their own.
    /// </summary>
    public ValueList<BlockDeviceNode> Nodes { get; }

    /// <summary>Every base relation, as edges from the base to the node that names it, in the order of <see cref="Nodes"/>.</summary>
    public ValueList<BlockDeviceEdge> Edges { get; }

    /// <summary>The node called <paramref name="name"/>, or null.</summary>
    public BlockDeviceNode? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The nodes of one type, in the order of <see cref="Nodes"/>.</summary>
    public IEnumerable<T> NodesOf<T>() where T : BlockDeviceNode => Nodes.OfType<T>();

    /// <inheritdoc />
    public bool Equals(BlockDeviceConfig? other) =>
        ReferenceEquals(this, other)
        || other is not null
        && Nodes.Count == other.Nodes.Count
        && Nodes.All(node => other.Find(node.Name) is { } same && same.Equals(node))
        && Edges.ToHashSet().SetEquals(other.Edges);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent, as the equality is.
        var hash = 0;
        foreach (var node in Nodes)
            hash ^= node.GetHashCode();
        return HashCode.Combine(Nodes.Count, hash);
    }
}
