using System.Diagnostics;
using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>The streamOptimized VMDK writer, read back with qemu-img: same content as the raw disk, a clean image.</summary>
[TestClass]
[TestCategory(TestCategories.HostTools)]
public sealed class StreamOptimizedVmdkWriterTests
{
    private string _root = "";

    [TestInitialize]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("vmdk-writer-").FullName;

    [TestCleanup]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public async Task Write_SparseDiskWithAPartialLastGrain_QemuImgReadsTheSameContent()
    {
        // 600 grains and a half: more than one grain table, zero grains between data, text and random data.
        var raw = Path.Combine(_root, "disk.raw");
        var random = new Random(6);
        await using (var stream = File.Create(raw))
        {
            stream.SetLength(600L * 65536 + 32768);
            foreach (var grain in new[] { 0, 1, 7, 511, 512, 513, 599 })
            {
                var data = new byte[65536];
                if (grain % 2 == 0)
                    random.NextBytes(data);
                else
                    System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"grain {grain} text ", 3000)), data);
                stream.Position = grain * 65536L + (grain == 7 ? 512 : 0);
                stream.Write(data, 0, grain == 7 ? 1024 : data.Length);
            }
            stream.Position = 600L * 65536;
            stream.Write([1, 2, 3, 4]);
        }
        var vmdk = Path.Combine(_root, "disk.vmdk");
        await using (var output = File.Create(vmdk))
            await StreamOptimizedVmdkWriter.WriteAsync(raw, output, "disk.vmdk", CancellationToken.None);

        var info = Run("qemu-img", "info", "--output=json", vmdk);
        StringAssert.Contains(info, "\"create-type\": \"streamOptimized\"");
        StringAssert.Contains(info, "\"compressed\": true");
        StringAssert.Contains(info, $"\"virtual-size\": {600L * 65536 + 32768}");
        Run("qemu-img", "check", vmdk);
        StringAssert.Contains(Run("qemu-img", "compare", "-f", "raw", "-F", "vmdk", raw, vmdk), "Images are identical");
        Assert.IsLessThan(new FileInfo(raw).Length / 20, new FileInfo(vmdk).Length, "zero grains take no room");
    }

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', arguments)}: {output}");
        return output;
    }
}
