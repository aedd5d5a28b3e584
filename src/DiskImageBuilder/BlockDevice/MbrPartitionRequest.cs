namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// A partition of an MBR table as the layout asks for it, before <see cref="MbrLayout.Place"/> gives it sectors.
/// </summary>
/// <param name="Name">The partition's name in the layout; error messages use it.</param>
/// <param name="SizeBytes">The exact size in bytes: above zero and a whole multiple of the table's alignment.</param>
/// <param name="Type">The MBR partition type byte, e.g. 0x83 (Linux), 0x82 (Linux swap), 0xEF (EFI system).</param>
/// <param name="Bootable">Whether the entry is marked active (status 0x80); logical partitions may be too.</param>
/// <param name="Primary">
/// A primary partition gets an entry in the MBR itself; the others are logical partitions inside the one extended
/// partition, each described by an extended boot record (EBR) in the alignment unit before it.
/// </param>
public sealed record MbrPartitionRequest(string Name, long SizeBytes, byte Type, bool Bootable, bool Primary);
