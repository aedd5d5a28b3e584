using System.Text;
using DiskImageBuilder.BlockDevice;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class Crc32Tests
{
    [TestMethod]
    public void Compute_CheckString123456789_IsCbf43926()
    {
        Assert.AreEqual(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    // Published CRC-32 (ISO-HDLC) values, the same as zlib's crc32() and Python's zlib.crc32() give.
    [TestMethod]
    [DataRow("", 0x00000000u, DisplayName = "empty")]
    [DataRow("a", 0xE8B7BE43u)]
    [DataRow("abc", 0x352441C2u)]
    [DataRow("message digest", 0x20159D7Fu)]
    [DataRow("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Compute_KnownVectors_MatchPublishedValues(string text, uint expected)
    {
        Assert.AreEqual(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [TestMethod]
    public void Compute_ThirtyTwoZeroBytes_Is190A55AD()
    {
        // Zeros catch an implementation that forgets the initial value: without it every zero byte leaves the CRC at 0.
        Assert.AreEqual(0x190A55ADu, Crc32.Compute(new byte[32]));
    }

    [TestMethod]
    public void Compute_RandomBuffers_MatchesBitByBitReference()
    {
        var random = new Random(20240601);
        foreach (int length in new[] { 1, 2, 3, 7, 92, 511, 512, 16384 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);

            Assert.AreEqual(BitByBit(data), Crc32.Compute(data), $"CRC of {length} random bytes");
        }
    }

    /// <summary>The CRC straight from its definition, one bit at a time with no table, to check the table-driven one.</summary>
    private static uint BitByBit(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                bool lowBit = (crc & 1) == 1;
                crc >>= 1;
                if (lowBit)
                {
                    crc ^= 0xEDB88320;
                }
            }
        }

        return ~crc;
    }
}
