using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Build;

/// <summary>
/// The rules that tie the cloud elements (gce, azure, ec2, vagrant) to the formats their platforms import, checked
/// before any work: Azure takes only a fixed VHD (DIB1010 for a dynamic one); a cloud element without any format its
/// platform imports is a warning (DIB4902) that names those formats.
/// </summary>
public static class CloudTargets
{
    /// <summary>Each cloud element, its platform and the ImageFormats names that platform imports.</summary>
    public static readonly IReadOnlyList<(string Element, string Platform, IReadOnlyList<string> Formats)> Platforms =
    [
        ("gce", "Google Compute Engine", ["gce"]),
        ("azure", "Azure", ["vhd"]),
        ("ec2", "Amazon EC2 (aws ec2 import-image)", ["raw", "vmdk", "vhd", "ova"]),
        ("vagrant", "Vagrant's libvirt provider", ["vagrant-libvirt"]),
    ];

    public static void Check(ImageBuildPlan plan, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        var formats = plan.Outputs.Select(o => o.Format.Name).ToList();
        var elements = plan.Elements.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        if (elements.Contains("azure") && formats.Contains("vhd") && plan.Settings.VhdSubformat != "fixed")
        {
            throw new DibException(ErrorCodes.CloudDiskSize,
                $"The azure element is in the build and VhdSubformat is '{plan.Settings.VhdSubformat}': Azure takes only a fixed VHD whose " +
                "virtual size is a whole number of MiB. Set <VhdSubformat>fixed</VhdSubformat> (the size is always whole MiB).");
        }
        foreach (var (element, platform, taken) in Platforms)
        {
            if (!elements.Contains(element) || formats.Any(taken.Contains))
                continue;
            log.Warning(ErrorCodes.CloudFormatNotImported,
                $"The {element} element prepares the image for {platform}, which imports {string.Join(", ", taken)}" +
                (element == "azure" ? " (fixed)" : "") + $"; ImageFormats asks for {(formats.Count == 0 ? "nothing" : string.Join(", ", formats))}. " +
                $"Add {taken[0]} to ImageFormats.");
        }
    }
}
