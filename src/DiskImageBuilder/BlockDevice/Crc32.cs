namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// CRC-32 as the GPT header and partition entry array use it (UEFI specification 2.10, section 5.3.2, which names
/// the CRC of ISO 3309 / ITU-T V.42, the same one as Ethernet, zlib and PNG): reflected, polynomial 0x04C11DB7
/// (0xEDB88320 bit-reversed), initial value and final XOR 0xFFFFFFFF. Written here because the project takes no
/// package for it; the check value of "123456789" is 0xCBF43926.
/// </summary>
internal static class Crc32
{
    /// <summary>The generator polynomial in reflected (least significant bit first) order.</summary>
    private const uint ReflectedPolynomial = 0xEDB88320;

    /// <summary>The register starts with all bits set so that leading zero bytes change the result.</summary>
    private const uint InitialValue = 0xFFFFFFFF;

    /// <summary>The register is inverted at the end, so the CRC of the empty input is zero.</summary>
    private const uint FinalXor = 0xFFFFFFFF;

    private const int BitsPerByte = 8;
    private const int TableSize = 256;

    /// <summary>The remainder of every byte value, so that each input byte costs one lookup instead of eight shifts.</summary>
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = InitialValue;
        foreach (byte b in data)
        {
            crc = Table[(byte)(crc ^ b)] ^ (crc >> BitsPerByte);
        }

        return crc ^ FinalXor;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[TableSize];
        for (uint value = 0; value < TableSize; value++)
        {
            uint remainder = value;
            for (int bit = 0; bit < BitsPerByte; bit++)
            {
                remainder = (remainder & 1) != 0 ? (remainder >> 1) ^ ReflectedPolynomial : remainder >> 1;
            }

            table[value] = remainder;
        }

        return table;
    }
}
