namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>An edge of the block-device graph: <paramref name="From"/> is created before <paramref name="To"/>, which builds on it.</summary>
/// <param name="From">The base.</param>
/// <param name="To">The node that names it.</param>
public sealed record BlockDeviceEdge(string From, string To)
{
    /// <inheritdoc />
    public override string ToString() => $"{From} -> {To}";
}
