namespace DiskImageBuilder.Outputs;

/// <summary>
/// One output format: its name in ImageFormats (diskimage-builder's -t names plus oci), the file
/// name suffix, whether it is made from the partitioned disk or straight from the root tree, and
/// the host program and package it needs.
/// </summary>
public sealed record ImageFormat(string Name, string FileSuffix, bool FromDisk, string? Tool, string? ToolPackage)
{
    public string FileName(string imageName) => imageName + FileSuffix;
}
