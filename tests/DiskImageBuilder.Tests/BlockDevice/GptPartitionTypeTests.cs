using System.Text.Json;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice;

[TestClass]
public sealed class GptPartitionTypeTests
{
    private string tempDirectory = null!;

    [TestInitialize]
    public void CreateTempDirectory()
    {
        tempDirectory = Path.Combine(Path.GetTempPath(), $"dib-gpt-type-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempDirectory);
    }

    [TestCleanup]
    public void DeleteTempDirectory() => Directory.Delete(tempDirectory, recursive: true);

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void KnownCodes_EveryCode_IsTheGuidSgdiskWritesForIt()
    {
        // sgdisk makes one 1 MiB partition per code; sfdisk reads back the type GUID it wrote.
        string[] codes = GptPartitionType.KnownCodes.Keys.ToArray();
        string image = Path.Combine(tempDirectory, "sgdisk.raw");
        using (var stream = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
        {
            stream.SetLength(64L * 1024 * 1024);
        }

        var arguments = new List<string>();
        for (int i = 0; i < codes.Length; i++)
        {
            arguments.AddRange(["-n", $"{i + 1}:0:+1M", "-t", $"{i + 1}:{codes[i]}"]);
        }

        arguments.Add(image);
        HostTool.Run("sgdisk", "gdisk", [.. arguments]);

        using var json = JsonDocument.Parse(HostTool.Run("sfdisk", "fdisk", "--json", image));
        var read = json.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToArray();
        Assert.HasCount(codes.Length, read);
        for (int i = 0; i < codes.Length; i++)
        {
            Assert.AreEqual(new Guid(read[i].GetProperty("type").GetString()!), GptPartitionType.KnownCodes[codes[i]], $"type GUID of code {codes[i]}");
        }
    }

    [TestMethod]
    public void KnownCodes_HasTheNineCodesLayoutsUse()
    {
        string[] expected = ["8300", "EF00", "EF02", "8E00", "8200", "0700", "FD00", "8304", "8305"];

        CollectionAssert.AreEquivalent(expected, GptPartitionType.KnownCodes.Keys.ToArray());
    }

    [TestMethod]
    [DataRow("EF00")]
    [DataRow("ef00")]
    [DataRow("Ef00")]
    public void Parse_CodeInAnyCase_GivesTheSameGuid(string code)
    {
        Assert.AreEqual(new Guid("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"), GptPartitionType.Parse(code));
    }

    [TestMethod]
    [DataRow("933AC7E1-2EB4-4F13-B844-0E14E2AEF915")]
    [DataRow("933ac7e1-2eb4-4f13-b844-0e14e2aef915")]
    [DataRow("{933AC7E1-2EB4-4F13-B844-0E14E2AEF915}")]
    public void Parse_FullGuid_ReturnsIt(string value)
    {
        Assert.AreEqual(new Guid("933AC7E1-2EB4-4F13-B844-0E14E2AEF915"), GptPartitionType.Parse(value));
    }

    [TestMethod]
    [DataRow("8301")]
    [DataRow("linux")]
    [DataRow("")]
    [DataRow("0xEF00")]
    public void Parse_UnknownCode_FailsWithUnsupportedLayoutNamingValueAndKnownCodes(string value)
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptPartitionType.Parse(value));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains($"'{value}'", error.Message);
        Assert.Contains("8300 (Linux filesystem)", error.Message);
        Assert.Contains("8305 (Linux ARM64 root)", error.Message);
        Assert.IsFalse(GptPartitionType.TryParse(value, out var guid), "TryParse agrees");
        Assert.AreEqual(Guid.Empty, guid);
    }

    [TestMethod]
    public void Parse_AllZeroGuid_FailsWithUnsupportedLayout()
    {
        var error = Assert.ThrowsExactly<DibException>(() => GptPartitionType.Parse("00000000-0000-0000-0000-000000000000"));

        Assert.AreEqual(ErrorCodes.UnsupportedLayout, error.Code);
        Assert.Contains("unused", error.Message);
    }
}
