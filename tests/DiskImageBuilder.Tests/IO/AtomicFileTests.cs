using DiskImageBuilder.IO;

namespace DiskImageBuilder.Tests.IO;

[TestClass]
public sealed class AtomicFileTests
{
    public TestContext TestContext { get; set; } = null!;

    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dib-atomic-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public async Task Write_Completes_RenamesIntoPlaceAndLeavesNoPartialFile()
    {
        var output = Path.Combine(_directory, "image.tar");

        await AtomicFile.WriteAsync(output, (stream, token) => stream.WriteAsync("new"u8.ToArray(), token).AsTask(), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        Assert.AreEqual("new", File.ReadAllText(output));
    }

    [TestMethod]
    public async Task Write_WriterFails_KeepsThePreviousOutputAndDeletesThePartialFile()
    {
        var output = Path.Combine(_directory, "image.tar");
        File.WriteAllText(output, "old");

        await Assert.ThrowsExactlyAsync<IOException>(() => AtomicFile.WriteAsync(output, async (stream, token) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), token);
            await stream.FlushAsync(token);
            Assert.IsTrue(File.Exists(output + AtomicFile.PartialSuffix), "The writer does not write to the .partial file.");
            throw new IOException("disk full");
        }, TestContext.CancellationToken));

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        Assert.AreEqual("old", File.ReadAllText(output));
    }

    [TestMethod]
    public async Task Write_Cancelled_DeletesThePartialFileAndWritesNoOutput()
    {
        var output = Path.Combine(_directory, "image.tar");
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(output, async (stream, token) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), token);
            await cancellation.CancelAsync();
            token.ThrowIfCancellationRequested();
        }, cancellation.Token));

        Assert.IsEmpty(Directory.GetFileSystemEntries(_directory));
    }

    [TestMethod]
    public async Task Create_ProgramWritesThePathItIsGiven_RenamesIntoPlaceOverTheOldOutput()
    {
        var output = Path.Combine(_directory, "disk.qcow2");
        File.WriteAllText(output, "old");
        File.WriteAllText(output + AtomicFile.PartialSuffix, "left by a killed build");

        await AtomicFile.CreateAsync(output, (partial, token) =>
        {
            Assert.IsFalse(File.Exists(partial), "A leftover partial file is handed to the writer.");
            return File.WriteAllTextAsync(partial, "new", token);
        }, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        Assert.AreEqual("new", File.ReadAllText(output));
    }

    [TestMethod]
    public async Task Create_OwnSuffix_WritesUnderIt()
    {
        var output = Path.Combine(_directory, "KEY.tar.zst");

        await AtomicFile.CreateAsync(output, (partial, token) =>
        {
            Assert.AreEqual(output + ".partial-42", partial);
            return File.WriteAllTextAsync(partial, "entry", token);
        }, TestContext.CancellationToken, partialSuffix: ".partial-42");

        Assert.AreEqual("entry", File.ReadAllText(output));
    }

    [TestMethod]
    public void WriteAllText_ReplacesTheFileAndLeavesNoPartialFile()
    {
        var output = Path.Combine(_directory, "layout.json");
        File.WriteAllText(output, "old");

        AtomicFile.WriteAllText(output, "new");

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        Assert.AreEqual("new", File.ReadAllText(output));
    }

    [TestMethod]
    public async Task CreateDirectory_Completes_ReplacesTheOldFolderWhole()
    {
        var output = Path.Combine(_directory, "image.manifests");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "stale.txt"), "old");

        await AtomicFile.CreateDirectoryAsync(output + "/", (partial, token) =>
            File.WriteAllTextAsync(Path.Combine(partial, "elements.txt"), "vm", token), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        CollectionAssert.AreEqual(new[] { Path.Combine(output, "elements.txt") }, Directory.GetFileSystemEntries(output));
    }

    [TestMethod]
    public async Task CreateDirectory_FillFails_KeepsTheOldFolderAndDeletesThePartialOne()
    {
        var output = Path.Combine(_directory, "image.manifests");
        Directory.CreateDirectory(output);

        await Assert.ThrowsExactlyAsync<IOException>(() => AtomicFile.CreateDirectoryAsync(output, (partial, token) =>
            throw new IOException("disk full"), TestContext.CancellationToken));

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
    }
}
