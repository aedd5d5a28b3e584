using System.Formats.Tar;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class RootTreeTarTests
{
    public TestContext TestContext { get; set; } = null!;

    private static RootTreeTar NewWriter(IBuildLog? log = null)
    {
        log ??= new RecordingBuildLog();
        return new RootTreeTar(new ProcessRunner(log), log);
    }

    private async Task<string> WriteTarAsync(SampleRootTree sample, string name, RootTreeTarOptions? options = null)
    {
        var path = Path.Combine(sample.Root, name);
        await using var file = File.Create(path);
        await NewWriter().WriteAsync(sample.Tree, file, options ?? RootTreeTarOptions.Default, TestContext.CancellationToken);
        return path;
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_GnuTarExtractsSameOwnersModesLinksTimesAndXattrs()
    {
        using var sample = new SampleRootTree();
        var tar = await WriteTarAsync(sample, "tree.tar");
        var extracted = sample.NewDirectory("extracted");

        // As root, GNU tar restores owners; the archive has no user names, so it takes the numeric ids.
        HostTool.Run("tar", "tar", "--xattrs", "--xattrs-include=*", "-xpf", tar, "-C", extracted);

        TreeSnapshot.AssertSame(TreeSnapshot.ArchivableEntries(sample.Tree), TreeSnapshot.Entries(extracted), "The tree extracted by GNU tar");
        Assert.AreEqual(TreeSnapshot.Xattrs(sample.Tree), TreeSnapshot.Xattrs(extracted));
        StringAssert.Contains(HostTool.Run("getcap", "libcap2-bin", Path.Combine(extracted, SampleRootTree.PingPath)), "cap_net_raw=ep");
        StringAssert.Contains(HostTool.Run("getcap", "libcap2-bin", Path.Combine(extracted, SampleRootTree.HelperPath)), "cap_setuid,cap_net_bind_service=ep");
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SampleTree_ListsLinksAsLinksAndNoDeviceNodes()
    {
        using var sample = new SampleRootTree();
        var tar = await WriteTarAsync(sample, "tree.tar");

        var lines = HostTool.Run("tar", "tar", "--numeric-owner", "-tvf", tar).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Line(string name) => lines.SingleOrDefault(l => ListedName(l) == name)
            ?? throw new AssertFailedException($"tar -tv lists no '{name}':{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");

        StringAssert.StartsWith(Line(SampleRootTree.HardLinkSecond), "h");
        StringAssert.EndsWith(Line(SampleRootTree.HardLinkSecond), $"link to {SampleRootTree.HardLinkFirst}");
        StringAssert.StartsWith(Line(SampleRootTree.HardLinkFirst), "-rw-r--r--");
        StringAssert.EndsWith(Line("sbin"), "sbin -> /usr/sbin");
        StringAssert.EndsWith(Line("bin"), "bin -> usr/bin");
        StringAssert.EndsWith(Line("usr/lib/libfoo.so"), "usr/lib/libfoo.so -> libfoo.so.1");
        StringAssert.StartsWith(Line("usr/bin/su"), "-rwsr-xr-x 0/0");
        StringAssert.StartsWith(Line("tmp/"), "drwxrwxrwt");
        StringAssert.StartsWith(Line("home/user/"), "drwxr-x--- 1000/1000");
        StringAssert.StartsWith(Line("usr/share/big-id"), $"-rw-r--r-- {SampleRootTree.LargeId}/{SampleRootTree.LargeId}");
        StringAssert.StartsWith(Line(SampleRootTree.FifoPath), "prw-------");
        StringAssert.StartsWith(Line("var/empty/"), "drwx------");
        StringAssert.StartsWith(Line("dev/"), "drwxr-xr-x");

        var names = HostTool.Run("tar", "tar", "--quoting-style=literal", "-tf", tar).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.DoesNotContain(names, SampleRootTree.StrayDevicePath, "A device node outside /dev was archived.");
        Assert.IsEmpty(names.Where(n => n.StartsWith("dev/", StringComparison.Ordinal) && n != "dev/"), "Something below /dev was archived.");
        CollectionAssert.Contains(names, SampleRootTree.LongPath);
        CollectionAssert.Contains(names, SampleRootTree.NonAsciiPath);
        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToArray(), names, "Entries are not in ordinal path order.");
    }

    /// <summary>The name in a line of tar -tv: "MODE OWNER SIZE DATE TIME NAME", then " -> TARGET" or " link to TARGET".</summary>
    private static string ListedName(string line)
    {
        const int ColumnsBeforeName = 5;
        var name = line.Split(' ', ColumnsBeforeName + 1, StringSplitOptions.RemoveEmptyEntries)[ColumnsBeforeName];
        foreach (var separator in new[] { " -> ", " link to " })
        {
            int at = name.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 0)
                name = name[..at];
        }
        return name;
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_SameTreeTwice_GivesIdenticalBytes()
    {
        using var sample = new SampleRootTree();

        var first = await WriteTarAsync(sample, "first.tar");
        var second = await WriteTarAsync(sample, "second.tar");

        CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [TestMethod]
    [TestCategory(TestCategories.Root)]
    [TestCategory(TestCategories.HostTools)]
    public async Task Write_WithMtimeClamp_ClampsNewerTimesAndKeepsOlderOnes()
    {
        using var sample = new SampleRootTree();
        var clamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var tar = await WriteTarAsync(sample, "clamped.tar", new RootTreeTarOptions(clamp));

        var times = new Dictionary<string, DateTimeOffset>();
        await using (var reader = new TarReader(File.OpenRead(tar)))
        {
            while (await reader.GetNextEntryAsync(cancellationToken: TestContext.CancellationToken) is { } entry)
                times[entry.Name] = entry.ModificationTime;
        }
        Assert.AreEqual(clamp, times["etc/new-file"]);
        Assert.AreEqual(SampleRootTree.OldTime, times["etc/old-file"]);
        Assert.IsTrue(times.Values.All(t => t <= clamp), "An entry is newer than the clamp.");
    }

    [TestMethod]
    public async Task Write_MissingTree_FailsWithDib4001NamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dib-no-tree-{Guid.NewGuid():N}");
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsExactlyAsync<DibException>(() =>
            NewWriter().WriteAsync(missing, destination, RootTreeTarOptions.Default, TestContext.CancellationToken));

        Assert.AreEqual(ErrorCodes.ConversionFailed, error.Code);
        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public void EncodeRecords_LengthCrossesADigit_CountsItsOwnDigits()
    {
        // " k=" + value + "\n" is 98 bytes: two digits would make 100, which needs three, so the record is 101 bytes.
        var value = new byte[98 - " k=\n".Length];
        Array.Fill(value, (byte)'v');

        var record = PaxExtendedHeader.EncodeRecords([new("k", value)]);

        Assert.HasCount(101, record);
        StringAssert.StartsWith(System.Text.Encoding.ASCII.GetString(record), "101 k=");
    }
}
