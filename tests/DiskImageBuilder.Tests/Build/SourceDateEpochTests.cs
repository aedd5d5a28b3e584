using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Tests.Elements;

namespace DiskImageBuilder.Tests.Build;

/// <summary>SourceDateEpoch: its checks, and the identifiers it seeds.</summary>
[TestClass]
public sealed class SourceDateEpochTests
{
    private const long MiB = 1L << 20;

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public void Parse_Empty_IsNone(string? value) => Assert.IsNull(SourceDateEpochs.Parse(value));

    [TestMethod]
    public void Parse_SecondsFrom1980_AreTaken() => Assert.AreEqual(1700000000L, SourceDateEpochs.Parse(" 1700000000 "));

    [TestMethod]
    [DataRow("yesterday", "is not a number of seconds")]
    [DataRow("-5", "is not a number of seconds")]
    [DataRow("1.5", "is not a number of seconds")]
    [DataRow("0", "is before 1980-01-01")]
    [DataRow("315532799", "is before 1980-01-01")]
    [DataRow("999999999999", "is after 9999-12-31")]
    public void Parse_BadValue_FailsWithDIB1011NamingItAndTheFix(string value, string reason)
    {
        var error = Assert.ThrowsExactly<DibException>(() => SourceDateEpochs.Parse(value));
        Assert.AreEqual(ErrorCodes.BadSourceDateEpoch, error.Code);
        StringAssert.Contains(error.Message, value);
        StringAssert.Contains(error.Message, reason);
        StringAssert.Contains(error.Message, "git log -1 --format=%ct");
    }

    [TestMethod]
    public void Plan_WithEpoch_SeedsIdentifiers_PassesItToScripts_AndRedoesTheTreeDiskAndConversionsWhenItChanges()
    {
        using var tree = new TempElementTree();
        var plain = ImageBuildPlanTests.Create(tree);
        Assert.IsNull(plain.Identifiers);
        Assert.IsFalse(plain.UserEnvironment.ContainsKey("SOURCE_DATE_EPOCH"));
        using var tree2 = new TempElementTree();
        var seeded = ImageBuildPlanTests.Create(tree2, s => s with { SourceDateEpoch = "1700000000" });
        Assert.IsNotNull(seeded.Identifiers);
        Assert.AreEqual("1700000000", seeded.UserEnvironment["SOURCE_DATE_EPOCH"]);
        Assert.AreEqual(1700000000L, seeded.OutputOptions().SourceDateEpoch);
        Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(1700000000), seeded.OutputOptions().RecordedTime);
        Assert.AreNotEqual(plain.TreeInputs()["Environment"], seeded.TreeInputs()["Environment"], "the scripts see it: the tree is redone");
        Assert.AreEqual("1700000000", seeded.DiskInputs()["SourceDateEpoch"]);
        Assert.AreEqual("1700000000", seeded.ConvertInputs()["SourceDateEpoch"]);
    }

    [TestMethod]
    public void Plan_BadEpoch_FailsBeforeAnyWork()
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => ImageBuildPlanTests.Create(tree, s => s with { SourceDateEpoch = "soon" }));
        Assert.AreEqual(ErrorCodes.BadSourceDateEpoch, error.Code);
    }

    [TestMethod]
    public void SeededIdentifiers_SameInputsSameIds_AnotherEpochNameOrArchOthers()
    {
        var a = new SeededIdentifiers("img", "amd64", 1700000000);
        var b = new SeededIdentifiers("img", "amd64", 1700000000);
        Assert.AreEqual(a.Guid("filesystem root"), b.Guid("filesystem root"));
        Assert.AreEqual(a.DiskSignature(), b.DiskSignature());
        Assert.AreNotEqual(a.Guid("filesystem root"), a.Guid("filesystem boot"));
        Assert.AreNotEqual(a.Guid("x"), new SeededIdentifiers("img", "amd64", 1700000001).Guid("x"));
        Assert.AreNotEqual(a.Guid("x"), new SeededIdentifiers("other", "amd64", 1700000000).Guid("x"));
        Assert.AreNotEqual(a.Guid("x"), new SeededIdentifiers("img", "arm64", 1700000000).Guid("x"));
        var text = a.Guid("x").ToString();
        Assert.AreEqual('4', text[14], "a version 4 GUID");
        StringAssert.Matches(text[19].ToString(), new System.Text.RegularExpressions.Regex("[89ab]"), "RFC variant");
        StringAssert.Matches(a.VfatVolumeId("esp"), new System.Text.RegularExpressions.Regex("^[0-9A-F]{4}-[0-9A-F]{4}$"));
        Assert.AreNotEqual(0u, a.DiskSignature());
    }

    [TestMethod]
    public void DiskPlanner_WithIds_FilesystemUuidsAndPartitionGuidsAreTheSameEveryTime()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi);
        var root = new RootFilesystemSettings(FilesystemType.Ext4, "cloudimg-rootfs", null);
        var usage = new Dictionary<string, TreeUsage> { ["/"] = new(300 * MiB, 1000), ["/boot/efi"] = new(MiB, 10) };
        var ids = new SeededIdentifiers("img", "amd64", 1700000000);
        var first = DiskPlanner.Plan(config, root, usage, null, 0, ids: ids);
        var second = DiskPlanner.Plan(config, root, usage, null, 0, ids: ids);
        CollectionAssert.AreEqual(first.Filesystems.Select(f => f.Uuid).ToList(), second.Filesystems.Select(f => f.Uuid).ToList());
        CollectionAssert.AreEqual(first.Partitions.Select(p => p.UniqueGuid).ToList(), second.Partitions.Select(p => p.UniqueGuid).ToList());
        var random = DiskPlanner.Plan(config, root, usage, null, 0);
        CollectionAssert.AreNotEqual(first.Filesystems.Select(f => f.Uuid).ToList(), random.Filesystems.Select(f => f.Uuid).ToList());
        StringAssert.Matches(first.Filesystems.Single(f => f.Type == FilesystemType.Vfat).Uuid, new System.Text.RegularExpressions.Regex("^[0-9A-F]{4}-[0-9A-F]{4}$"));
    }
}
