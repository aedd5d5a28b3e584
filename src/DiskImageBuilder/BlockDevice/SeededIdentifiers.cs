using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// The identifiers a disk would otherwise get at random (filesystem UUIDs, ext4's directory hash seed, the MBR disk
/// signature, GPT disk and partition GUIDs, the vfat volume id, the VMDK content id), derived instead from a seed: the
/// image's name, architecture and SOURCE_DATE_EPOCH. Two builds of the same project at the same epoch get the same
/// identifiers; another project, architecture or epoch gets others. Each identifier is SHA-256 of the seed and what it
/// is for, shaped as the kind of identifier it replaces (a version 4 GUID, a non-zero signature).
/// </summary>
public sealed class SeededIdentifiers
{
    private readonly string _seed;

    public SeededIdentifiers(string imageName, string targetArch, long sourceDateEpoch) =>
        _seed = string.Create(CultureInfo.InvariantCulture, $"DiskImageBuilder.Sdk\n{imageName}\n{targetArch}\n{sourceDateEpoch}\n");

    private byte[] Hash(string purpose) => SHA256.HashData(Encoding.UTF8.GetBytes(_seed + purpose));

    /// <summary>A version 4 (random-shaped) GUID for <paramref name="purpose"/>.</summary>
    public Guid Guid(string purpose)
    {
        var bytes = Hash(purpose).AsSpan(0, 16).ToArray();
        // RFC 9562 layout, as Guid's big-endian constructor reads it: version in the high nibble of byte 6, variant 10 in byte 8.
        bytes[6] = (byte)(bytes[6] & 0x0F | 0x40);
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A non-zero MBR disk signature.</summary>
    public uint DiskSignature()
    {
        var hash = Hash("mbr disk signature");
        var signature = BinaryPrimitives.ReadUInt32LittleEndian(hash);
        return signature == 0 ? 1 : signature;
    }

    /// <summary>A vfat volume id, XXXX-XXXX.</summary>
    public string VfatVolumeId(string purpose)
    {
        var hex = Convert.ToHexString(Hash(purpose), 0, 4);
        return $"{hex[..4]}-{hex[4..]}";
    }

    /// <summary>A 32-bit id (the VMDK descriptor's CID).</summary>
    public uint Id32(string purpose) => BinaryPrimitives.ReadUInt32LittleEndian(Hash(purpose));
}
