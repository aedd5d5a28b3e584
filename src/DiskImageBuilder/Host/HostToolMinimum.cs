using NuGet.Versioning;

namespace DiskImageBuilder.Host;

/// <summary>
/// The oldest version of a host program that a feature of the build works with: checked before any work, so an old
/// tool stops the build with DIB5006 naming both versions instead of failing halfway with the tool's own message.
/// </summary>
/// <param name="Program">The program, as found on PATH.</param>
/// <param name="Minimum">The oldest version that works.</param>
/// <param name="Needs">What needs it, for the message ("writing qcow2 with zstd compression (Qcow2Compression=zstd)").</param>
/// <param name="Fix">What the user can do instead of upgrading, or an empty string.</param>
public sealed record HostToolMinimum(string Program, NuGetVersion Minimum, string Needs, string Fix)
{
    /// <summary>qcow2's zstd compression type came with QEMU 5.1 (2020).</summary>
    public static HostToolMinimum QemuImgZstd { get; } = new("qemu-img", new NuGetVersion(5, 1, 0),
        "writing qcow2 with zstd compression (Qcow2Compression=zstd, the default)",
        "or set Qcow2Compression to zlib");

    /// <summary>mmdebstrap's hooks (setup, customize, sync-in/sync-out) and --skip became a public interface in 0.7.0 (2020).</summary>
    public static HostToolMinimum MmdebstrapHooks { get; } = new("mmdebstrap", new NuGetVersion(0, 7, 0),
        "bootstrapping with the hooks and --skip options the debootstrap element passes",
        "or remove mmdebstrap so that the element uses debootstrap");
}
