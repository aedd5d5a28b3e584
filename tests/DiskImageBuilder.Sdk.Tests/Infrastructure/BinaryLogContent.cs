using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// The bytes of an MSBuild binary log, for searching: the records (a gzip stream in which strings are
/// UTF-8) and the project files the log embeds (a zip archive inside that stream, whose entries are
/// compressed and so invisible to a plain byte search).
/// </summary>
internal sealed class BinaryLogContent
{
    // End of central directory record of a zip file (APPNOTE.TXT 4.3.16).
    private static readonly byte[] EndOfCentralDirectorySignature = [0x50, 0x4b, 0x05, 0x06];
    private const int EndOfCentralDirectoryLength = 22;
    private const int CentralDirectorySizeOffset = 12;
    private const int CentralDirectoryStartOffset = 16;
    private const int CommentLengthOffset = 20;

    private BinaryLogContent(byte[] records, IReadOnlyDictionary<string, byte[]> embeddedFiles)
    {
        Records = records;
        EmbeddedFiles = embeddedFiles;
    }

    /// <summary>The decompressed log.</summary>
    public byte[] Records { get; }

    /// <summary>The embedded files by their path in the archive.</summary>
    public IReadOnlyDictionary<string, byte[]> EmbeddedFiles { get; }

    public static BinaryLogContent Read(string path)
    {
        byte[] records;
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            gzip.CopyTo(buffer);
            records = buffer.ToArray();
        }
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var end = records.AsSpan().LastIndexOf(EndOfCentralDirectorySignature); end >= 0;
             end = end == 0 ? -1 : records.AsSpan(0, end).LastIndexOf(EndOfCentralDirectorySignature))
            ReadArchiveEndingAt(records, end, files);
        return new BinaryLogContent(records, files);
    }

    /// <summary>Where <paramref name="text"/> occurs: "records" and/or the embedded files' paths.</summary>
    public IReadOnlyList<string> PlacesOf(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var places = new List<string>();
        if (Records.AsSpan().IndexOf(needle) >= 0)
            places.Add("records");
        places.AddRange(EmbeddedFiles.Where(f => f.Value.AsSpan().IndexOf(needle) >= 0).Select(f => f.Key));
        return places;
    }

    private static void ReadArchiveEndingAt(byte[] data, int end, Dictionary<string, byte[]> files)
    {
        if (end + EndOfCentralDirectoryLength > data.Length)
            return;
        var record = data.AsSpan(end, EndOfCentralDirectoryLength);
        var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(record[CentralDirectorySizeOffset..]);
        var directoryStart = BinaryPrimitives.ReadUInt32LittleEndian(record[CentralDirectoryStartOffset..]);
        var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[CommentLengthOffset..]);
        var start = (long)end - directorySize - directoryStart;
        var length = end + EndOfCentralDirectoryLength + commentLength - start;
        if (start < 0 || start + length > data.Length)
            return;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(data, (int)start, (int)length, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                files[entry.FullName] = content.ToArray();
            }
        }
        catch (InvalidDataException)
        {
            // Four bytes that only looked like the end of a zip file.
        }
    }
}
