using DiskImageBuilder.Host;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The platform of a container image in the names the OCI image spec takes from Go's GOARCH (config.md,
/// "architecture" and "variant"), which differ from the Debian names the SDK's TargetArch uses.
/// </summary>
internal sealed record ContainerPlatform(string Architecture, string? Variant)
{
    /// <summary>Every image this SDK builds is a Linux image.</summary>
    public const string OperatingSystem = "linux";

    /// <summary>Maps a TargetArch value (Debian name or alias); DIB1001 for an unknown one.</summary>
    public static ContainerPlatform FromTargetArch(string targetArch)
    {
        var profile = ArchitectureProfile.For(targetArch);
        return new(profile.OciArchitecture, profile.OciVariant);
    }
}
