using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using DiskImageBuilder.Outputs;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Stops the build before anything is downloaded when a host tool is missing, naming every one
/// and the apt-get line that installs them; also checks that the build runs as root.
/// </summary>
public sealed class CheckHostTools : DibTask
{
    /// <summary>Tools to find. Identity = program; metadata Package, Purpose, Alternatives (';'-separated).</summary>
    [Required]
    public ITaskItem[] Tools { get; set; } = [];

    /// <summary>ImageFormats, validated here so a typo stops the build before any work.</summary>
    public string ImageFormats { get; set; } = "";

    /// <summary>Qcow2Compression, validated here for the same reason.</summary>
    public string Qcow2Compression { get; set; } = "zlib";

    /// <summary>Whether the build needs root (anything that runs element scripts).</summary>
    public bool RequireRoot { get; set; } = true;

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        ImageFormatList.Parse(ImageFormats);
        if (!QemuImgConverter.Qcow2Compressions.Contains(Qcow2Compression))
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"Qcow2Compression '{Qcow2Compression}' is not known. Use one of: {string.Join(", ", QemuImgConverter.Qcow2Compressions)}.");
        HostTools.Require(Tools.Select(t => new HostTool(
            t.ItemSpec,
            t.GetMetadata("Package"),
            t.GetMetadata("Purpose"),
            t.GetMetadata("Alternatives").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        if (RequireRoot)
            HostTools.RequireRoot();
        return Task.CompletedTask;
    }
}
