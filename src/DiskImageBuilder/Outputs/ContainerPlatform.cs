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
    public static ContainerPlatform FromTargetArch(string targetArch) => TargetArchitecture.Normalize(targetArch) switch
    {
        "amd64" => new("amd64", null),
        // v8 is what registries and runtimes expect for 64-bit ARM (image-index.md, "platform variants").
        "arm64" => new("arm64", "v8"),
        "i386" => new("386", null),
        "ppc64el" => new("ppc64le", null),
        var other => throw new InvalidOperationException($"TargetArch '{other}' has no container platform mapping."),
    };
}
