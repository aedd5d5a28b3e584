using System.Security.Cryptography;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.Elements;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// The iso output with the host's real grub-mkrescue, xorriso and mtools, from a small tree with a stand-in kernel:
/// with SOURCE_DATE_EPOCH two ISOs written a few seconds apart are the same bytes; without it they are not.
/// </summary>
[TestClass]
public sealed class IsoWriterTests
{
    private const long Epoch = 1_700_000_000;

    private static string Tree(string root)
    {
        var tree = Directory.CreateDirectory(Path.Combine(root, "tree")).FullName;
        Directory.CreateDirectory(Path.Combine(tree, "boot"));
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "debian_version"), "12.8\n");
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "live\n");
        File.WriteAllText(Path.Combine(tree, "init"), "#!/bin/sh\nexec /bin/sh\n");
        File.SetUnixFileMode(Path.Combine(tree, "init"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(tree, "boot", "vmlinuz-6.1.0-28-cloud-amd64"), "kernel");
        File.WriteAllText(Path.Combine(tree, "boot", "initrd.img-6.1.0-28-cloud-amd64"), "initrd");
        foreach (var file in Directory.EnumerateFileSystemEntries(tree, "*", SearchOption.AllDirectories).Append(tree))
            File.SetLastWriteTimeUtc(file, DateTime.UnixEpoch.AddSeconds(Epoch - 100));
        return tree;
    }

    private static async Task<string> WriteIso(string root, string name, long? epoch)
    {
        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(root, name)).FullName, "live.iso");
        var options = new OutputOptions
        {
            BootFileSelector = SdkElementsFolder.File("select-boot-kernel-initrd", "bin", "select-boot-kernel-initrd"),
            SourceDateEpoch = epoch,
            Identifiers = epoch is { } e ? new SeededIdentifiers("live", "amd64", e) : null,
        };
        var log = new RecordingBuildLog();
        await new IsoWriter(new ProcessRunner(log), log).WriteAsync(Tree(Path.Combine(root, name)), output, options, CancellationToken.None);
        await using var stream = File.OpenRead(output);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    [TestMethod]
    public async Task Write_WithSourceDateEpoch_TwoIsosSecondsApartAreTheSameBytes()
    {
        var root = Directory.CreateTempSubdirectory("dib-iso-").FullName;
        try
        {
            var first = await WriteIso(root, "first", Epoch);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var second = await WriteIso(root, "second", Epoch);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var clockFirst = await WriteIso(root, "clock-first", null);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var clockSecond = await WriteIso(root, "clock-second", null);

            Assert.AreEqual(first, second, "volume dates, file dates, the GPT GUID and the EFI image's FAT serial follow the epoch");
            Assert.AreNotEqual(clockFirst, clockSecond, "without the epoch the ISO records the clock, so the check above can fail");
            Assert.IsFalse(Directory.Exists(Path.Combine(root, "first", "live.iso.staging.bin")), "the mformat wrapper folder is removed");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
