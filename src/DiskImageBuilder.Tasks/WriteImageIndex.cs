using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Outputs;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// The outer build of TargetArchs with oci among ImageFormats: writes one multi-platform OCI archive over the
/// architectures' own (<see cref="ImageIndexBuilder.WriteAsync"/>) and its checksum files. The target runs it only when
/// an architecture's archive is newer than it.
/// </summary>
public sealed class WriteImageIndex : DibTask
{
    /// <summary>The outer build's work folder (obj/&lt;Configuration&gt;/dib/), which keeps the archive's record.</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    /// <summary>The architectures (ResolveTargetArchs' items), in TargetArchs order: the order of the platforms.</summary>
    [Required]
    public ITaskItem[] Architectures { get; set; } = [];

    /// <summary>The architectures' OCI archives: their DiskImageOutput items (metadata TargetArch).</summary>
    [Required]
    public ITaskItem[] Archives { get; set; } = [];

    /// <summary>The multi-platform archive to write (bin/&lt;Configuration&gt;/NAME.oci.tar).</summary>
    [Required]
    public string OutputPath { get; set; } = "";

    /// <summary>The ImageChecksums property: the checksum files to write beside the archive.</summary>
    public string ImageChecksums { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var archives = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var archive in Archives)
            archives[archive.GetMetadata("TargetArch")] = archive.GetMetadata("FullPath");
        return new ImageIndexBuilder(new WorkFolder(WorkDirectory, ImageName), log).WriteAsync(
            [.. Architectures.Select(a => a.ItemSpec)], archives, Path.GetFullPath(OutputPath), Checksums.Parse(ImageChecksums), CancellationToken);
    }
}
