using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Build;

/// <summary>
/// The project's properties and items that shape an image, as the user wrote them (strings, unchecked).
/// <see cref="ImageBuildPlan.Create"/> checks them all at once, before any work.
/// </summary>
public sealed record ImageSettings
{
    public required string ProjectDirectory { get; init; }
    public required string ImageName { get; init; }
    /// <summary>Where the outputs go (bin/&lt;Configuration&gt;/&lt;TargetArch&gt;/).</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>The architecture as ResolveElements normalised it (amd64, arm64, i386, ppc64el).</summary>
    public required string TargetArch { get; init; }
    /// <summary>DistroRelease (DIB_RELEASE); empty lets the OS element choose.</summary>
    public string? Release { get; init; }
    public bool Offline { get; init; }

    public string ImageFormats { get; init; } = "qcow2";
    public string Qcow2Compression { get; init; } = "zstd";
    public string VhdSubformat { get; init; } = "dynamic";
    public string ImageChecksums { get; init; } = "sha256";
    /// <summary>RamdiskMemory: the memory of the machines that boot the initramfs (ramdisk, iso, ipxe).</summary>
    public string RamdiskMemory { get; init; } = "2GiB";
    /// <summary>Image name of the oci and docker outputs; empty uses the lowercase ImageName.</summary>
    public string? ContainerRepository { get; init; }
    public string ContainerTag { get; init; } = "latest";
    public IReadOnlyDictionary<string, string> ContainerLabels { get; init; } = new Dictionary<string, string>();
    /// <summary>The machine of the ova and vagrant-libvirt outputs: VirtualMachineCpus, Memory, DiskController, NetworkAdapter, Network, Firmware.</summary>
    /// <summary>SourceDateEpoch: seconds since 1970 that clamp every time the build writes and seed its identifiers; empty for none.</summary>
    public string? SourceDateEpoch { get; init; }
    public string VirtualMachineCpus { get; init; } = "2";
    public string VirtualMachineMemory { get; init; } = "2GiB";
    public string VirtualMachineDiskController { get; init; } = "scsi";
    public string VirtualMachineNetworkAdapter { get; init; } = "vmxnet3";
    public string VirtualMachineNetwork { get; init; } = "VM Network";
    public string VirtualMachineFirmware { get; init; } = "auto";

    /// <summary>BlockDeviceConfig: a file path or inline YAML; empty when unset.</summary>
    public string? BlockDeviceConfig { get; init; }
    public string RootLabel { get; init; } = "cloudimg-rootfs";
    public string RootFilesystemType { get; init; } = "ext4";
    public string? RootFilesystemUuid { get; init; }
    public string? ImageJournalSize { get; init; }
    public string? ImageSize { get; init; }
    public string? ImageExtraSize { get; init; }
    public string? DiskSignature { get; init; }
    public string? DiskGuid { get; init; }

    /// <summary>The element search path as ResolveElements ordered it (ELEMENTS_PATH, ':'-separated).</summary>
    public string ElementsSearchPath { get; init; } = "";
    /// <summary>The SDK's own elements: their scripts are made executable again (NuGet packages keep no file modes).</summary>
    public string BuiltInElementsDirectory { get; init; } = "";
    /// <summary>DiskImageBreak, diskimage-builder's break=: after-error prints how to enter a failed script's environment.</summary>
    public string? Break { get; init; }

    /// <summary>ElementEnvironment items: the variables every element script sees.</summary>
    public IReadOnlyList<UserVariables.Item> ElementEnvironment { get; init; } = [];

    /// <summary>DiskImageCacheDir: downloads (DIB_IMAGE_CACHE) and, under stages/, the stage cache.</summary>
    public string CacheDirectory { get; init; } = "";
    /// <summary>DiskImageCache: false turns the stage cache off.</summary>
    public bool StageCache { get; init; } = true;
    public string StageCacheMaxSize { get; init; } = "20GiB";
    public double CachePointSeconds { get; init; } = 2;
}
