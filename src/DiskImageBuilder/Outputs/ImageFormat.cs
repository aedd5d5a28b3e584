namespace DiskImageBuilder.Outputs;

/// <summary>
/// One output format: its name in ImageFormats (diskimage-builder's -t names plus oci), the file
/// name suffix, whether it is made from the partitioned disk or straight from the root tree, and
/// the host program and package it needs (and, for a format that needs several, the others).
/// </summary>
public sealed record ImageFormat(string Name, string FileSuffix, bool FromDisk, string? Tool, string? ToolPackage,
    IReadOnlyList<Host.HostTool>? MoreTools = null)
{
    /// <summary>Every host program or file writing this format needs.</summary>
    public IEnumerable<Host.HostTool> HostTools() =>
        (Tool is null ? [] : new[] { new Host.HostTool(Tool, ToolPackage!, $"writing the {Name} output") }).Concat(MoreTools ?? []);

    public string FileName(string imageName) => imageName + FileSuffix;
}
