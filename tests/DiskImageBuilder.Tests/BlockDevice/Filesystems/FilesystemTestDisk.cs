using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Filesystems;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.BlockDevice.Filesystems;

/// <summary>
/// A temp folder with a small source tree and a sparse disk file: 1 MiB of marker bytes, the region under test,
/// then a second 1 MiB region of other marker bytes, so a writer that strays outside its region is caught.
/// </summary>
internal sealed class FilesystemTestDisk : IDisposable
{
    public const long MiB = 1024 * 1024;
    public const long RegionOffset = MiB;
    public const string FileContent = "hello from the source tree\n";
    public const string PrivateContent = "only for uid 1234\n";
    public const uint PrivateUid = 1234;
    private const byte MarkerBefore = 0xA5;
    private const byte MarkerAfter = 0x5A;

    public FilesystemTestDisk(long regionBytes, bool withSymlink = true)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"dib-fs-{Guid.NewGuid():N}");
        DiskFolder = Path.Combine(Folder, "out");
        Source = Path.Combine(Folder, "src");
        Directory.CreateDirectory(DiskFolder);
        RegionBytes = regionBytes;
        Disk = Path.Combine(DiskFolder, "disk.raw");

        Directory.CreateDirectory(Path.Combine(Source, "dir", "sub"));
        Directory.CreateDirectory(Path.Combine(Source, "empty"));
        File.WriteAllText(Path.Combine(Source, "f"), FileContent);
        var secret = Path.Combine(Source, "dir", "sub", "private");
        File.WriteAllText(secret, PrivateContent);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        HostTool.Run("chown", "coreutils", $"{PrivateUid}:{PrivateUid}", secret);
        if (withSymlink)
            File.CreateSymbolicLink(Path.Combine(Source, "link"), "f");

        using var stream = new FileStream(Disk, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(RegionOffset + regionBytes + MiB);
        stream.Write(Enumerable.Repeat(MarkerBefore, (int)MiB).ToArray());
        stream.Position = RegionOffset + regionBytes;
        stream.Write(Enumerable.Repeat(MarkerAfter, (int)MiB).ToArray());
    }

    public string Folder { get; }
    public string DiskFolder { get; }
    public string Source { get; }
    public string Disk { get; }
    public long RegionBytes { get; }
    public RecordingBuildLog Log { get; } = new();

    public FilesystemRequest Request(FilesystemType type, string? label, string? uuid, string? source = "",
        IReadOnlyList<string>? extra = null) =>
        new(Disk, RegionOffset, RegionBytes, type, source == "" ? Source : source, label, uuid, extra ?? [], 0);

    public Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken = default) =>
        new FilesystemWriters(new ProcessRunner(Log)).For(request.Type).WriteAsync(request, cancellationToken);

    /// <summary>blkid's low-level probe of the region: TYPE, LABEL, UUID, ...</summary>
    public Dictionary<string, string> Probe()
    {
        var output = HostTool.Run("blkid", "util-linux", "-p", "-O", RegionOffset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", "export", Disk);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>The markers on both sides of the region are intact and no temporary file is left next to the disk.</summary>
    public void AssertOnlyRegionWritten()
    {
        using var stream = File.OpenRead(Disk);
        var before = new byte[MiB];
        stream.ReadExactly(before);
        Assert.IsTrue(before.All(b => b == MarkerBefore), "The bytes before the region were changed.");
        var after = new byte[MiB];
        stream.Position = RegionOffset + RegionBytes;
        stream.ReadExactly(after);
        Assert.IsTrue(after.All(b => b == MarkerAfter), "The bytes after the region were changed.");
        Assert.AreEqual(RegionOffset + RegionBytes + MiB, stream.Length, "The disk file changed size.");
        AssertNoTemporaryFiles();
    }

    public void AssertNoTemporaryFiles() =>
        CollectionAssert.AreEquivalent(new[] { "disk.raw" }, Directory.GetFileSystemEntries(DiskFolder).Select(Path.GetFileName).ToArray(),
            "Only the disk may be left in its folder.");

    /// <summary>Copies the region out to a file of its own, for tools that take no offset.</summary>
    public string CopyRegion()
    {
        var copy = Path.Combine(Folder, "region.img");
        using var source = File.OpenRead(Disk);
        using var target = new FileStream(copy, FileMode.Create, FileAccess.Write);
        source.Position = RegionOffset;
        var buffer = new byte[MiB];
        for (var left = RegionBytes; left > 0; left -= MiB)
        {
            source.ReadExactly(buffer);
            if (buffer.AsSpan().ContainsAnyExcept((byte)0))
                target.Write(buffer);
            else
                target.Seek(MiB, SeekOrigin.Current);
        }
        target.SetLength(RegionBytes);
        return copy;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
