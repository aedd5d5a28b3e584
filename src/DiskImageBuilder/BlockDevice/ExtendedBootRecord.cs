using System.Buffers.Binary;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// Fills the extended boot record (EBR) of one logical partition: a sector laid out like the MBR, with no boot
/// code and no disk signature, whose first record describes the logical partition and whose second links to the
/// next EBR. Linux, fdisk and sfdisk read the first record relative to the EBR itself and the link relative to
/// the extended partition's first sector, and stop at a link record that is all zero.
/// </summary>
internal static class ExtendedBootRecord
{
    private const int PartitionEntry = 0;
    private const int LinkEntry = 1;

    /// <summary>
    /// Fills the whole of <paramref name="sector"/> for <paramref name="logical"/>, with a link to <paramref name="next"/>
    /// (null for the last EBR of the chain).
    /// </summary>
    /// <param name="sector">Exactly <see cref="MbrLayout.SectorSize"/> bytes.</param>
    /// <param name="logical">A logical partition: its <see cref="PlacedMbrPartition.BootRecordSector"/> is this sector.</param>
    /// <param name="next">The next logical partition in the chain, or null.</param>
    /// <param name="extendedStartSector">The extended partition's first sector, which link records count from.</param>
    public static void Write(Span<byte> sector, PlacedMbrPartition logical, PlacedMbrPartition? next, long extendedStartSector)
    {
        if (sector.Length != MbrLayout.SectorSize)
        {
            throw new ArgumentException(
                $"An EBR sector is {MbrLayout.SectorSize} bytes; the span given is {sector.Length} bytes.", nameof(sector));
        }

        long bootRecord = logical.BootRecordSector
            ?? throw new ArgumentException($"Partition {logical.Number} '{logical.Name}' is not a logical partition.", nameof(logical));

        // No boot code, signature or third and fourth records: zero, as fdisk leaves them.
        sector.Clear();

        MbrPartitionRecord.Write(Record(sector, PartitionEntry),
            logical.StartSector, logical.SectorCount, logical.Type, logical.Bootable, lbaBase: bootRecord);

        if (next is not null)
        {
            long nextBootRecord = next.BootRecordSector
                ?? throw new ArgumentException($"Partition {next.Number} '{next.Name}' is not a logical partition.", nameof(next));

            // The link covers the next EBR and the partition it describes.
            long linkSectors = next.StartSector + next.SectorCount - nextBootRecord;
            MbrPartitionRecord.Write(Record(sector, LinkEntry),
                nextBootRecord, linkSectors, MbrLayout.ExtendedLinkType, bootable: false, lbaBase: extendedStartSector);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(sector[MbrWriter.SignatureOffset..], MbrWriter.Signature);
    }

    private static Span<byte> Record(Span<byte> sector, int index) =>
        sector.Slice(MbrWriter.PartitionRecordsOffset + index * MbrPartitionRecord.Size, MbrPartitionRecord.Size);
}
