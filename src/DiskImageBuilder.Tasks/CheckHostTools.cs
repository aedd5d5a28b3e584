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
    public string Qcow2Compression { get; set; } = "zstd";

    /// <summary>VhdSubformat (dynamic or fixed).</summary>
    public string VhdSubformat { get; set; } = "dynamic";

    /// <summary>ImageChecksums (sha256, md5, both or none).</summary>
    public string ImageChecksums { get; set; } = "sha256";

    /// <summary>Whether the build needs root (anything that runs element scripts).</summary>
    public bool RequireRoot { get; set; } = true;

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var formats = ImageFormatList.Parse(ImageFormats);
        RequireOneOf("Qcow2Compression", Qcow2Compression, QemuImgConverter.Qcow2Compressions);
        RequireOneOf("VhdSubformat", VhdSubformat, QemuImgConverter.VhdSubformats);
        Checksums.Parse(ImageChecksums);
        var tools = Tools.Select(t => new HostTool(
            t.ItemSpec,
            t.GetMetadata("Package"),
            t.GetMetadata("Purpose"),
            t.GetMetadata("Alternatives").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        var formatTools = formats.Where(f => f.Tool is not null)
            .Select(f => new HostTool(f.Tool!, f.ToolPackage!, $"writing the {f.Name} output"));
        HostTools.Require(tools.Concat(formatTools));
        if (RequireRoot)
            HostTools.RequireRoot();
        return Task.CompletedTask;
    }

    private static void RequireOneOf(string property, string value, IReadOnlyList<string> valid)
    {
        if (!valid.Contains(value))
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"{property} '{value}' is not known. Use one of: {string.Join(", ", valid)}.");
    }
}
