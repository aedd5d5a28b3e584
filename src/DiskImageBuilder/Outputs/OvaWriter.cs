using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The ova output: a POSIX ustar archive holding, in the order the OVF specification requires, the descriptor NAME.ovf,
/// the manifest NAME.mf (SHA256 of both other files, as ovftool writes it) and the disk NAME-disk1.vmdk, streamOptimized
/// by the SDK's own writer with the controller's adapter type.
/// </summary>
public static class OvaWriter
{
    public static async Task WriteAsync(string rawPath, string outputPath, OutputOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (name, hardware, targetArch, operatingSystem) = (options.ImageName, options.Hardware, options.TargetArch, options.OperatingSystem);
        var diskName = $"{name}-disk1.vmdk";
        var disk = outputPath + ".vmdk" + AtomicFile.PartialSuffix;
        try
        {
            await using (var stream = new FileStream(disk, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
                await StreamOptimizedVmdkWriter.WriteAsync(rawPath, stream, diskName, cancellationToken, hardware.VmdkAdapterType,
                    options.Identifiers?.Id32("vmdk content id"));
            var capacity = new FileInfo(rawPath).Length;
            var descriptor = Encoding.UTF8.GetBytes(Descriptor(name, diskName, new FileInfo(disk).Length, capacity, hardware, targetArch, operatingSystem));
            var manifest = Encoding.ASCII.GetBytes(
                $"SHA256({name}.ovf)= {Convert.ToHexStringLower(SHA256.HashData(descriptor))}\n" +
                $"SHA256({diskName})= {await Sha256Async(disk, cancellationToken)}\n");
            var time = options.RecordedTime;
            await AtomicFile.WriteAsync(outputPath, async (output, ct) =>
            {
                await using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
                await tar.WriteEntryAsync(Entry($"{name}.ovf", new MemoryStream(descriptor), time), ct);
                await tar.WriteEntryAsync(Entry($"{name}.mf", new MemoryStream(manifest), time), ct);
                await using var vmdk = File.OpenRead(disk);
                await tar.WriteEntryAsync(Entry(diskName, vmdk, time), ct);
            }, cancellationToken);
        }
        finally
        {
            File.Delete(disk);
        }
    }

    /// <summary>The descriptor's text, as it goes into the archive.</summary>
    public static string Descriptor(string name, string diskName, long diskBytes, long capacity, VirtualHardware hardware, string targetArch,
        string operatingSystem)
    {
        var document = OvfDescriptor.Create(name, diskName, diskBytes, capacity, hardware, targetArch, operatingSystem);
        return document.Declaration + "\n" + document.Root + "\n";
    }

    private static UstarTarEntry Entry(string name, Stream data, DateTimeOffset time) => new(TarEntryType.RegularFile, name)
    {
        DataStream = data,
        ModificationTime = time,
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
    };

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
