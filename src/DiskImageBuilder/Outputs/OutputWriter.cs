using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes one output file of a format: from the raw disk through qemu-img (or a sparse copy for raw),
/// or from the root tree (tar, tgz, squashfs, OCI and docker archives, the initramfs and the live ISO). Every writer writes a
/// temporary name and renames, so no partial file ever has an output's name.
/// </summary>
public sealed class OutputWriter(ProcessRunner runner, IBuildLog log)
{
    public async Task WriteAsync(ImageFormat format, string? rawPath, string tree, string outputPath, OutputOptions options,
        CancellationToken cancellationToken)
    {
        if (format.FromDisk && (rawPath is null || !File.Exists(rawPath)))
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The {format.Name} output is made from the disk, but there is no disk at {rawPath}. Add the 'vm' element.");
        switch (format.Name)
        {
            case "raw":
                await CopySparseAsync(rawPath!, outputPath, cancellationToken);
                break;
            case "vmdk":
                await AtomicFile.WriteAsync(outputPath,
                    (stream, ct) => StreamOptimizedVmdkWriter.WriteAsync(rawPath!, stream, Path.GetFileName(outputPath), ct,
                        contentId: options.Identifiers?.Id32("vmdk content id")), cancellationToken);
                break;
            case "qcow2" or "vhd" or "vhdx" or "vdi":
                await new QemuImgConverter(runner).ConvertAsync(rawPath!, format.Name, outputPath, options, cancellationToken);
                break;
            case "ova":
                await OvaWriter.WriteAsync(rawPath!, outputPath, options, cancellationToken);
                break;
            case "gce":
                await new GceArchiveWriter(runner).WriteAsync(rawPath!, outputPath, options.SourceDateEpoch, cancellationToken);
                break;
            case "vagrant-libvirt":
                await new VagrantBoxWriter(runner).WriteAsync(rawPath!, outputPath, options.Hardware, options, cancellationToken);
                break;
            case "squashfs":
                await new SquashfsWriter(runner).WriteAsync(tree, outputPath, options.SourceDateEpoch, cancellationToken);
                break;
            case "tar":
                await AtomicFile.WriteAsync(outputPath, (stream, ct) =>
                    new RootTreeTar(runner, log).WriteAsync(tree, stream, TarOptions(options), ct), cancellationToken);
                break;
            case "tgz":
                await AtomicFile.WriteAsync(outputPath, async (stream, ct) =>
                {
                    await using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
                    await new RootTreeTar(runner, log).WriteAsync(tree, gzip, TarOptions(options), ct);
                }, cancellationToken);
                break;
            case "oci":
                await new OciImageLayout(new RootTreeTar(runner, log)).WriteAsync(tree, outputPath, ContainerOptions(options), cancellationToken);
                break;
            case "docker":
                await new DockerArchive(new RootTreeTar(runner, log)).WriteAsync(tree, outputPath, ContainerOptions(options), cancellationToken);
                break;
            case "iso":
                await new IsoWriter(runner, log).WriteAsync(tree, outputPath, options, cancellationToken);
                break;
            case "ipxe":
                await IpxeScriptWriter.WriteAsync(outputPath, cancellationToken);
                break;
            case "initramfs":
                await new InitramfsWriter(runner, log).WriteAsync(tree, outputPath, options.RamdiskMemoryBytes, cancellationToken);
                break;
            case "kernel" or "initrd":
                await new BootFileWriter(runner).WriteAsync(format.Name, tree, outputPath, options, cancellationToken);
                break;
            default:
                throw new DibException(ErrorCodes.UnknownImageFormat, $"The {format.Name} format is not written by this version.");
        }
    }

    private static ContainerImageOptions ContainerOptions(OutputOptions options) =>
        new(options.TargetArch, options.ContainerRepository, options.ContainerTag, options.RecordedTime, Labels: options.Labels,
            MtimeClamp: TarOptions(options).MtimeClamp);

    /// <summary>With SOURCE_DATE_EPOCH, later times in the tree are written as it.</summary>
    private static RootTreeTarOptions TarOptions(OutputOptions options) =>
        options.SourceDateEpoch is { } epoch ? new RootTreeTarOptions(DateTimeOffset.FromUnixTimeSeconds(epoch)) : RootTreeTarOptions.Default;

    private Task CopySparseAsync(string source, string destination, CancellationToken cancellationToken) =>
        AtomicFile.CreateAsync(destination, (temporary, token) => runner.RunCheckedAsync(new ProcessSpec("cp", ["--sparse=always", "--", source, temporary]),
            ErrorCodes.ConversionFailed, "Copying the raw disk", token), cancellationToken);
}
