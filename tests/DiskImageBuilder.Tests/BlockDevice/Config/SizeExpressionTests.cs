using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed class SizeExpressionTests
{
    [TestMethod]
    [DataRow("512", 512L, DisplayName = "no unit: bytes")]
    [DataRow("512B", 512L)]
    [DataRow("12KB", 12_000L)]
    [DataRow("12K", 12_000L, DisplayName = "a bare letter is decimal")]
    [DataRow("12KiB", 12_288L)]
    [DataRow("100MB", 100_000_000L)]
    [DataRow("100M", 100_000_000L)]
    [DataRow("100MiB", 104_857_600L)]
    [DataRow("3G", 3_000_000_000L)]
    [DataRow("3GB", 3_000_000_000L)]
    [DataRow("2.5GiB", 2_684_354_560L)]
    [DataRow("1.75TB", 1_750_000_000_000L)]
    [DataRow("2T", 2_000_000_000_000L)]
    [DataRow("1TiB", 1_099_511_627_776L)]
    [DataRow("8mib", 8_388_608L, DisplayName = "units ignore case")]
    [DataRow(" 8 MiB ", 8_388_608L, DisplayName = "spaces around")]
    [DataRow("0.5KiB", 512L)]
    [DataRow("1.0005K", 1000L, DisplayName = "fractional bytes are dropped")]
    public void TryParse_AbsoluteSize_GivesBytesWithDiskimageBuildersUnits(string text, long bytes)
    {
        Assert.IsTrue(SizeExpression.TryParse(text, out var size), text);

        Assert.IsFalse(size.IsPercentage);
        Assert.AreEqual(bytes, size.Bytes);
        Assert.AreEqual(bytes, size.Resolve(1), "an absolute size does not depend on the space");
    }

    [TestMethod]
    [DataRow("100%", 100.0)]
    [DataRow("50%", 50.0)]
    [DataRow("33.3%", 33.3)]
    [DataRow("0.5 %", 0.5)]
    public void TryParse_Percentage_KeepsTheShare(string text, double percent)
    {
        Assert.IsTrue(SizeExpression.TryParse(text, out var size), text);

        Assert.IsTrue(size.IsPercentage);
        Assert.AreEqual((decimal)percent, size.Percent);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("lots")]
    [DataRow("GiB")]
    [DataRow("0")]
    [DataRow("0%")]
    [DataRow("0.1B", DisplayName = "less than a byte")]
    [DataRow("100.5%")]
    [DataRow("-1GiB")]
    [DataRow("1,5GiB")]
    [DataRow("10XB")]
    [DataRow("1 0MiB")]
    [DataRow("9999999TiB", DisplayName = "beyond 64 bits")]
    [DataRow("50%VG", DisplayName = "lvcreate syntax")]
    public void TryParse_NotASize_IsRejected(string? text)
    {
        Assert.IsFalse(SizeExpression.TryParse(text, out _), text);
        if (text is not null)
            Assert.ThrowsExactly<FormatException>(() => SizeExpression.Parse(text));
    }

    [TestMethod]
    [DataRow("100%", 4_294_967_296L, 4_294_967_296L)]
    [DataRow("50%", 1001L, 500L, DisplayName = "rounded down")]
    [DataRow("33%", 3_000_000_000L, 990_000_000L)]
    [DataRow("0.5%", 1_000L, 5L)]
    public void Resolve_Percentage_IsThatShareOfTheSpaceRoundedDown(string text, long available, long bytes)
    {
        Assert.AreEqual(bytes, SizeExpression.Parse(text).Resolve(available));
    }

    [TestMethod]
    public void Resolve_PercentageOfTheLargestDisk_DoesNotOverflow()
    {
        Assert.AreEqual(long.MaxValue / 2, SizeExpression.Parse("50%").Resolve(long.MaxValue));
    }

    [TestMethod]
    [DataRow("8MiB", "8MiB")]
    [DataRow("8388608", "8MiB")]
    [DataRow("1GB", "1000000000B")]
    [DataRow("1.5KiB", "1536B")]
    [DataRow("2048KiB", "2MiB")]
    [DataRow("50%", "50%")]
    public void ToString_WritesTheLargestExactBinaryUnit(string text, string written)
    {
        Assert.AreEqual(written, SizeExpression.Parse(text).ToString());
    }

    [TestMethod]
    public void Equality_ComparesTheValueNotTheSpelling()
    {
        Assert.AreEqual(SizeExpression.Parse("1GiB"), SizeExpression.Parse("1024MiB"));
        Assert.AreEqual(SizeExpression.Parse("50%"), SizeExpression.FromPercent(50.0m));
        Assert.AreNotEqual(SizeExpression.Parse("1GB"), SizeExpression.Parse("1GiB"));
    }

    [TestMethod]
    public void FromBytesAndFromPercent_RejectValuesTheParserRejects()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SizeExpression.FromBytes(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SizeExpression.FromPercent(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SizeExpression.FromPercent(101));
    }
}
