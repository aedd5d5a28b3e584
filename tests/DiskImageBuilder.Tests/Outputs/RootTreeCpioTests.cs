using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// The initramfs output: the tree as a newc cpio archive that GNU cpio (the reference reader besides the kernel)
/// extracts back to the same files, and the zstd-compressed file the ramdisk element writes. The kernel reading it
/// is RamdiskBootTests' part.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class RootTreeCpioTests
{
    public TestContext TestContext { get; set; } = null!;

    private static SampleRootTree SampleWithInit()
    {
        var sample = new SampleRootTree();
        Directory.CreateDirectory(Path.Combine(sample.Tree, "boot"));
        File.WriteAllText(Path.Combine(sample.Tree, "boot", "vmlinuz-6.1.0-test"), "a kernel\n");
        File.WriteAllText(Path.Combine(sample.Tree, "usr/sbin/init"), "#!/bin/sh\nexec /bin/sh\n");
        HostTool.Run("chmod", "coreutils", "755", Path.Combine(sample.Tree, "usr/sbin/init"));
        return sample;
    }

    private async Task<string> WriteCpioAsync(SampleRootTree sample, RecordingBuildLog? log = null)
    {
        log ??= new RecordingBuildLog();
        var path = Path.Combine(sample.Root, "tree.cpio");
        await using var file = File.Create(path);
        await new RootTreeCpio(new ProcessRunner(log), log).WriteAsync(sample.Tree, file, TestContext.CancellationToken);
        return path;
    }

    private static string Extract(SampleRootTree sample, string archive)
    {
        var extracted = sample.NewDirectory("extracted");
        HostTool.Run("cpio", "cpio", "-i", "--quiet", "--make-directories", "--preserve-modification-time", "--no-absolute-filenames",
            "-F", archive, "-D", extracted);
        return extracted;
    }

    [TestMethod]
    public async Task Write_SampleTree_GnuCpioExtractsTheSameOwnersModesLinksHardLinksAndTimes()
    {
        using var sample = SampleWithInit();
        var extracted = Extract(sample, await WriteCpioAsync(sample));

        var expected = TreeSnapshot.ArchivableEntries(sample.Tree).Where(e => !e.StartsWith("boot/vmlinuz", StringComparison.Ordinal)).ToList();
        var actual = TreeSnapshot.Entries(extracted).Where(e => !e.StartsWith("dev/console ", StringComparison.Ordinal) && !e.StartsWith("init ", StringComparison.Ordinal)).ToList();
        TreeSnapshot.AssertSame(expected, actual, "The tree extracted by GNU cpio");
    }

    [TestMethod]
    public async Task Write_SampleTree_DevHoldsOnlyTheConsole_BootNoFiles_AndInitStartsSbinInit()
    {
        using var sample = SampleWithInit();
        var log = new RecordingBuildLog();
        var archive = await WriteCpioAsync(sample, log);

        var listing = HostTool.Run("cpio", "cpio", "-t", "-v", "--quiet", "--numeric-uid-gid", "-F", archive).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Line(string name) => listing.SingleOrDefault(l => l.EndsWith(" " + name, StringComparison.Ordinal) || l.Contains($" {name} -> ", StringComparison.Ordinal))
            ?? throw new AssertFailedException($"cpio -tv lists no '{name}':\n{string.Join('\n', listing)}");

        StringAssert.StartsWith(Line("dev/console"), "crw-------", "the console the kernel opens for init");
        StringAssert.Contains(Line("dev/console"), " 5,   1 ");
        Assert.IsEmpty(listing.Where(l => l.Contains(" dev/", StringComparison.Ordinal) && !l.EndsWith(" dev/console", StringComparison.Ordinal)),
            "nothing else below /dev");
        StringAssert.EndsWith(Line("init"), "init -> /sbin/init");
        StringAssert.StartsWith(Line("boot"), "drwx");
        Assert.IsFalse(listing.Any(l => l.Contains("vmlinuz", StringComparison.Ordinal)), "no kernel inside the ramdisk");
        Assert.IsFalse(listing.Any(l => l.EndsWith(" " + SampleRootTree.StrayDevicePath, StringComparison.Ordinal)), "no device node outside /dev");
        StringAssert.EndsWith(listing[^1], "init -> /sbin/init");
        Assert.IsTrue(log.Lines.Any(l => l.Contains("files had extended attributes, which cpio cannot hold", StringComparison.Ordinal)), string.Join('\n', log.Lines));
    }

    [TestMethod]
    public async Task Write_TreeWithoutInit_FailsWithDIB4001NamingWhatToInstall()
    {
        using var sample = new SampleRootTree();
        var error = await Assert.ThrowsExactlyAsync<DibException>(() => WriteCpioAsync(sample));

        Assert.AreEqual("DIB4001", error.Code);
        StringAssert.Contains(error.Message, "neither");
        StringAssert.Contains(error.Message, "systemd-sysv");
    }

    [TestMethod]
    public async Task InitramfsWriter_WritesZstdOfTheArchive_AndLogsBothSizes()
    {
        using var sample = SampleWithInit();
        var log = new RecordingBuildLog();
        var output = Path.Combine(sample.Root, "img.initramfs");
        await new InitramfsWriter(new ProcessRunner(log), log).WriteAsync(sample.Tree, output, 2L << 30, TestContext.CancellationToken);

        var magic = File.ReadAllBytes(output)[..4];
        CollectionAssert.AreEqual(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, magic, "a zstd frame, which the kernel's initramfs unpacker reads");
        var archive = Path.Combine(sample.Root, "decompressed.cpio");
        HostTool.Run("zstd", "zstd", "-q", "-d", "-o", archive, output);
        var extracted = Extract(sample, archive);
        Assert.AreEqual("#!/bin/sh\nexec /bin/sh\n", File.ReadAllText(Path.Combine(extracted, "usr/sbin/init")));
        Assert.IsTrue(log.Lines.Any(l => l.StartsWith("initramfs: ", StringComparison.Ordinal) && l.Contains("compressed", StringComparison.Ordinal)),
            string.Join('\n', log.Lines));
        Assert.IsFalse(File.Exists(output + ".partial.cpio"), "the uncompressed archive is removed");
    }

    [TestMethod]
    public async Task InitramfsWriter_FilesMoreThanHalfTheMemory_FailsWithDIB4003NamingTheSizes_AndWritesNothing()
    {
        using var sample = SampleWithInit();
        var log = new RecordingBuildLog();
        var output = Path.Combine(sample.Root, "img.initramfs");
        // The sample's archive is some KiB: 8 KiB of memory leaves 4 KiB for it.
        var error = await Assert.ThrowsExactlyAsync<DibException>(() =>
            new InitramfsWriter(new ProcessRunner(log), log).WriteAsync(sample.Tree, output, 8 * 1024, TestContext.CancellationToken));

        Assert.AreEqual("DIB4003", error.Code);
        StringAssert.Contains(error.Message, "RamdiskMemory 8 KiB");
        StringAssert.Contains(error.Message, "Set RamdiskMemory");
        Assert.IsFalse(File.Exists(output));
        Assert.IsEmpty(Directory.GetFiles(sample.Root, "img.initramfs*"), "no partial file is left");
    }

    [TestMethod]
    public void RequireFits_HalfTheMemoryOrLess_Passes_MoreNamesTheMemoryThatWouldFit()
    {
        InitramfsWriter.RequireFits(1024L << 20, 2048L << 20);
        var error = Assert.ThrowsExactly<DibException>(() => InitramfsWriter.RequireFits(1025L << 20, 2048L << 20));
        StringAssert.Contains(error.Message, "holds 1025 MiB of files");
        StringAssert.Contains(error.Message, "RamdiskMemory 2048 MiB");
        StringAssert.Contains(error.Message, "at least 3 GiB");
    }
}
