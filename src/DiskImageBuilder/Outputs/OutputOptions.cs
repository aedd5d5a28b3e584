namespace DiskImageBuilder.Outputs;

/// <summary>Format settings from the project: Qcow2Compression, VhdSubformat, container name, tag and labels.</summary>
public sealed record OutputOptions
{
    public string Qcow2Compression { get; init; } = "zstd";
    public string VhdSubformat { get; init; } = "dynamic";
    public string ContainerTag { get; init; } = "latest";
    /// <summary>The image name of the oci and docker outputs (lowercase project name by default).</summary>
    public string ContainerRepository { get; init; } = "image";
    /// <summary>Debian-style architecture of the image (its config's architecture).</summary>
    public string TargetArch { get; init; } = "amd64";
    /// <summary>RamdiskMemory: the memory of the machines that boot the initramfs; the files must fit in half of it.</summary>
    public long RamdiskMemoryBytes { get; init; } = 2L << 30;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The kernel and initrd outputs: the select-boot-kernel-initrd helper that picks them in the tree.</summary>
    public string BootFileSelector { get; init; } = "";
    /// <summary>The project's ImageName: the ova names its descriptor and disk after it.</summary>
    public string ImageName { get; init; } = "image";
    /// <summary>The operating-system element (debian-minimal, ubuntu, ...): the ova's guest OS type.</summary>
    public string OperatingSystem { get; init; } = "";
    /// <summary>The machine that the ova and vagrant-libvirt outputs describe (VirtualMachine* properties).</summary>
    public VirtualHardware Hardware { get; init; } = VirtualHardware.Default;
    /// <summary>SOURCE_DATE_EPOCH: the time archives and images record instead of the clock; null for the clock.</summary>
    public long? SourceDateEpoch { get; init; }
    /// <summary>With SOURCE_DATE_EPOCH, the source of identifiers that would be random (the VMDK's content id).</summary>
    public BlockDevice.SeededIdentifiers? Identifiers { get; init; }
    /// <summary>The time to record: SOURCE_DATE_EPOCH, else now.</summary>
    public DateTimeOffset RecordedTime => SourceDateEpoch is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch) : DateTimeOffset.UtcNow;
    /// <summary>The helper's variables (DIB_BAREMETAL_KERNEL_PATTERN, DIB_BAREMETAL_INITRD_PATTERN).</summary>
    public IReadOnlyDictionary<string, string> BootFileEnvironment { get; init; } = new Dictionary<string, string>();
}
