namespace DiskImageBuilder.Outputs;

/// <summary>Format settings from the project: Qcow2Compression, VhdSubformat, container tag and labels.</summary>
public sealed record OutputOptions
{
    public string Qcow2Compression { get; init; } = "zlib";
    public string VhdSubformat { get; init; } = "dynamic";
    public string ContainerTag { get; init; } = "latest";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
