namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// A partition as the layout asks for it, before it is placed on the disk by <see cref="MbrLayout.Plan"/>.
/// </summary>
/// <param name="Name">The partition's name in the layout; error messages use it.</param>
/// <param name="SizeBytes">
/// The wanted size in bytes, rounded up to a whole <see cref="MbrLayout.AlignmentBytes"/> when placed.
/// Zero or less means "the rest of the disk", which only the last partition may ask for.
/// </param>
/// <param name="Type">The MBR partition type byte, e.g. 0x83 (Linux).</param>
/// <param name="Bootable">Whether the entry is marked active (status 0x80).</param>
public sealed record PartitionRequest(string Name, long SizeBytes, byte Type, bool Bootable);
