using System.Text.RegularExpressions;
using DiskImageBuilder.BlockDevice.Config;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

[TestClass]
public sealed partial class PartitionTypeCodeTests
{
    [TestMethod]
    [DataRow("0x83", (byte)0x83, "0x83")]
    [DataRow("83", (byte)0x83, "0x83")]
    [DataRow("0xEF", (byte)0xef, "0xef")]
    [DataRow("ef", (byte)0xef, "0xef")]
    [DataRow("5", (byte)0x05, "0x05")]
    [DataRow("0x41", (byte)0x41, "0x41")]
    public void TryParse_MbrHexByte_GivesTheTypeByte(string text, byte type, string canonical)
    {
        Assert.IsTrue(PartitionTypeCode.TryParse(text, PartitionTableLabel.Mbr, out var code));

        Assert.AreEqual(type, code.MbrType);
        Assert.AreEqual(canonical, code.Text);
        Assert.ThrowsExactly<InvalidOperationException>(() => code.GptType);
    }

    [TestMethod]
    [DataRow("8300")]
    [DataRow("ef00")]
    [DataRow("0xEF02")]
    [DataRow("0fc63daf-8483-4772-8e79-3d69d8477de4")]
    public void TryParse_GptCodeOrGuid_GivesTheTypeGuid(string text)
    {
        Assert.IsTrue(PartitionTypeCode.TryParse(text, PartitionTableLabel.Gpt, out var code));

        Assert.AreNotEqual(Guid.Empty, code.GptType);
        Assert.ThrowsExactly<InvalidOperationException>(() => code.MbrType);
    }

    [TestMethod]
    public void TryParse_GuidOfAKnownCode_EqualsTheCode()
    {
        PartitionTypeCode.TryParse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", PartitionTableLabel.Gpt, out var byGuid);
        PartitionTypeCode.TryParse("EF00", PartitionTableLabel.Gpt, out var byCode);

        Assert.AreEqual(byCode, byGuid);
        Assert.AreEqual("EF00", byGuid.Text);
    }

    [TestMethod]
    public void Defaults_AreLinuxOnEitherTable()
    {
        Assert.AreEqual(0x83, PartitionTypeCode.DefaultFor(PartitionTableLabel.Mbr).MbrType);
        Assert.AreEqual(new Guid("0fc63daf-8483-4772-8e79-3d69d8477de4"), PartitionTypeCode.DefaultFor(PartitionTableLabel.Gpt).GptType);
    }

    [TestMethod]
    [TestCategory(TestCategories.HostTools)]
    public void GptCodes_MapToTheGuidsSgdiskWrites()
    {
        // sgdisk is the tool diskimage-builder hands these codes to: write one partition per code in one call
        // (each write waits about a second for the kernel), then read back the GUID of each.
        var folder = Directory.CreateTempSubdirectory("dib-gpt-codes-");
        try
        {
            var disk = Path.Combine(folder.FullName, "disk.raw");
            using (var file = File.Create(disk))
                file.SetLength(16 * 1024 * 1024);
            var codes = PartitionTypeCode.GptCodes.ToList();
            var arguments = new List<string> { "--clear" };
            for (var i = 1; i <= codes.Count; i++)
                arguments.AddRange([$"--new={i}:0:+1M", $"--typecode={i}:{codes[i - 1].Key}"]);
            HostTool.Run("sgdisk", "gdisk", [.. arguments, disk]);

            for (var i = 1; i <= codes.Count; i++)
            {
                var info = HostTool.Run("sgdisk", "gdisk", $"--info={i}", disk);
                var written = TypeGuidLine().Match(info);
                Assert.IsTrue(written.Success, info);
                Assert.AreEqual(codes[i - 1].Value, Guid.Parse(written.Groups[1].Value), $"code {codes[i - 1].Key}: {info}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"Partition GUID code: ([0-9A-Fa-f-]{36})")]
    private static partial Regex TypeGuidLine();
}
