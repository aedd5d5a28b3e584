using Microsoft.Win32.SafeHandles;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// Puts a filesystem built in a temporary file into its region of the disk: the region is first made a hole
/// (so it reads as zeros, as the new filesystem expects), then only the blocks that hold data are written, so
/// the disk stays as sparse as the filesystem. Nothing outside the region is touched.
/// </summary>
internal static class RegionCopy
{
    private const int BlockSize = 4096;
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Copies <paramref name="sourcePath"/> (at most <paramref name="sizeBytes"/> long) to the region.</summary>
    public static async Task CopyAsync(string sourcePath, string diskPath, long offsetBytes, long sizeBytes,
        CancellationToken cancellationToken)
    {
        using var source = File.OpenHandle(sourcePath, FileMode.Open, FileAccess.Read);
        using var disk = File.OpenHandle(diskPath, FileMode.Open, FileAccess.ReadWrite);
        var length = Math.Min(RandomAccess.GetLength(source), sizeBytes);
        await ClearAsync(disk, offsetBytes, sizeBytes, cancellationToken);

        var buffer = new byte[ChunkSize];
        foreach (var (start, end) in LinuxFiles.DataRanges(source, length))
        {
            for (var position = start; position < end; position += ChunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = (int)Math.Min(ChunkSize, end - position);
                var read = await ReadFullyAsync(source, buffer.AsMemory(0, count), position, cancellationToken);
                await WriteNonZeroBlocksAsync(disk, buffer.AsMemory(0, read), offsetBytes + position, cancellationToken);
            }
        }
    }

    /// <summary>Makes the region read as zeros, so no old signature is left for blkid to find.</summary>
    public static async Task ClearAsync(string diskPath, long offsetBytes, long sizeBytes, CancellationToken cancellationToken)
    {
        using var disk = File.OpenHandle(diskPath, FileMode.Open, FileAccess.ReadWrite);
        await ClearAsync(disk, offsetBytes, sizeBytes, cancellationToken);
    }

    private static async Task ClearAsync(SafeFileHandle disk, long offset, long length, CancellationToken cancellationToken)
    {
        if (LinuxFiles.TryPunchHole(disk, offset, length))
            return;
        // A filesystem that cannot punch holes gets real zeros.
        var zeros = new byte[ChunkSize];
        for (var position = 0L; position < length; position += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RandomAccess.WriteAsync(disk, zeros.AsMemory(0, (int)Math.Min(ChunkSize, length - position)),
                offset + position, cancellationToken);
        }
    }

    private static async Task<int> ReadFullyAsync(SafeFileHandle file, Memory<byte> buffer, long offset,
        CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(file, buffer[total..], offset + total, cancellationToken);
            if (read == 0)
                break;
            total += read;
        }
        return total;
    }

    private static async Task WriteNonZeroBlocksAsync(SafeFileHandle disk, ReadOnlyMemory<byte> data, long offset,
        CancellationToken cancellationToken)
    {
        var runStart = -1;
        for (var block = 0; ; block += BlockSize)
        {
            var isData = block < data.Length
                         && data.Span.Slice(block, Math.Min(BlockSize, data.Length - block)).ContainsAnyExcept((byte)0);
            if (isData && runStart < 0)
                runStart = block;
            if (!isData && runStart >= 0)
            {
                var end = Math.Min(block, data.Length);
                await RandomAccess.WriteAsync(disk, data[runStart..end], offset + runStart, cancellationToken);
                runStart = -1;
            }
            if (block >= data.Length)
                return;
        }
    }
}
