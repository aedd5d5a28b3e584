namespace DiskImageBuilder.Testing;

/// <summary>
/// What a test needs beyond the .NET SDK, as MSTest categories, so a developer can leave the costly ones out:
/// <c>dotnet test --solution DiskImageBuilder.Sdk.sln -- --filter "TestCategory!=Root&amp;TestCategory!=HostTools&amp;TestCategory!=Network&amp;TestCategory!=Qemu"</c>.
/// A test in no category needs none of them. Every test project links this file (tests/Directory.Build.props).
/// </summary>
public static class TestCategories
{
    /// <summary>Runs as uid 0: chown, mknod, setcap, chroot, or an image build (which stops with DIB5002 otherwise).</summary>
    public const string Root = "Root";

    /// <summary>
    /// Runs a program of the host (sgdisk, sfdisk, mke2fs, qemu-img, tar, getfattr, skopeo, umoci, podman, unshare, ...)
    /// or needs one installed (an image build checks for them with DIB5001).
    /// </summary>
    public const string HostTools = "HostTools";

    /// <summary>Downloads from the Debian mirror (mmdebstrap, apt-get in the image).</summary>
    public const string Network = "Network";

    /// <summary>Boots an image in qemu-system.</summary>
    public const string Qemu = "Qemu";
}
