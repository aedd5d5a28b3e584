using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class PartialFileTests
{
    public TestContext TestContext { get; set; } = null!;

    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dib-partial-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public async Task Write_Completes_RenamesIntoPlaceAndLeavesNoPartialFile()
    {
        var output = Path.Combine(_directory, "image.tar");

        await PartialFile.WriteAsync(output, (stream, token) => stream.WriteAsync("new"u8.ToArray(), token).AsTask(), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { output }, Directory.GetFileSystemEntries(_directory));
        Assert.AreEqual("new", File.ReadAllText(output));
    }

    [TestMethod]
    public async Task Write_WriterFails_KeepsThePreviousOutputAndDeletesThePartialFile()
    {
        var output = Path.Combine(_directory, "image.tar");
        File.WriteAllText(output, "old");

        await Assert.ThrowsExactlyAsync<IOException>(() => PartialFile.WriteAsync(output, async (stream, token) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), token);
            await stream.FlushAsync(token);
            Assert.IsTrue(File.Exists(output + PartialFile.Suffix), "The writer does not write to the .partial file.");
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

        await Assert.ThrowsAsync<OperationCanceledException>(() => PartialFile.WriteAsync(output, async (stream, token) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), token);
            await cancellation.CancelAsync();
            token.ThrowIfCancellationRequested();
        }, cancellation.Token));

        Assert.IsEmpty(Directory.GetFileSystemEntries(_directory));
    }
}
