using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The virtual machine that the ova and vagrant-libvirt outputs describe: the VirtualMachine* properties, checked against
/// what VMware and libvirt take. The firmware comes from the layout unless VirtualMachineFirmware names one.
/// </summary>
public sealed record VirtualHardware(int Cpus, long MemoryMiB, string DiskController, string NetworkAdapter, string Network, string Firmware)
{
    /// <summary>vSphere 8's limits for a virtual machine: 768 virtual CPUs, 24 TiB of memory.</summary>
    public const int MaxCpus = 768;

    public const long MaxMemoryMiB = 24L << 20;

    /// <summary>The smallest memory a Linux guest of this SDK boots in.</summary>
    public const long MinMemoryMiB = 128;

    public static readonly IReadOnlyList<string> DiskControllers = ["scsi", "sata", "ide"];
    public static readonly IReadOnlyList<string> NetworkAdapters = ["vmxnet3", "e1000", "e1000e"];
    public static readonly IReadOnlyList<string> Firmwares = ["auto", "bios", "efi"];

    public static VirtualHardware Default { get; } = new(2, 2048, "scsi", "vmxnet3", "VM Network", "bios");

    /// <summary>
    /// Checks the properties as the user wrote them; DIB1009 names the property, the value and the range.
    /// <paramref name="layoutOffersBios"/> chooses the firmware for "auto": BIOS when the layout boots with it, else EFI.
    /// </summary>
    public static VirtualHardware Parse(string cpus, string memory, string diskController, string networkAdapter, string network,
        string firmware, bool layoutOffersBios)
    {
        if (!int.TryParse(cpus.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var cpuCount) || cpuCount < 1 || cpuCount > MaxCpus)
            throw OutOfRange("VirtualMachineCpus", cpus, $"a whole number from 1 to {MaxCpus}");
        long memoryBytes;
        try
        {
            memoryBytes = SizeParser.Parse(memory, "VirtualMachineMemory");
        }
        catch (DibException)
        {
            throw OutOfRange("VirtualMachineMemory", memory, $"a size from {MinMemoryMiB}MiB to 24TiB, for example 2GiB");
        }
        if (memoryBytes % (1L << 20) != 0 || memoryBytes >> 20 < MinMemoryMiB || memoryBytes >> 20 > MaxMemoryMiB)
            throw OutOfRange("VirtualMachineMemory", memory, $"a whole number of MiB from {MinMemoryMiB}MiB to 24TiB, for example 2GiB");
        var controller = OneOf("VirtualMachineDiskController", diskController, DiskControllers);
        var adapter = OneOf("VirtualMachineNetworkAdapter", networkAdapter, NetworkAdapters);
        if (string.IsNullOrWhiteSpace(network) || network.Any(char.IsControl))
            throw OutOfRange("VirtualMachineNetwork", network, "the name of the network the machine's adapter joins, for example 'VM Network'");
        var chosen = OneOf("VirtualMachineFirmware", firmware, Firmwares);
        if (chosen == "auto")
            chosen = layoutOffersBios ? "bios" : "efi";
        return new VirtualHardware(cpuCount, memoryBytes >> 20, controller, adapter, network.Trim(), chosen);
    }

    /// <summary>The VMDK descriptor's ddb.adapterType for the controller.</summary>
    public string VmdkAdapterType => DiskController == "scsi" ? "lsilogic" : "ide";

    private static string OneOf(string property, string value, IReadOnlyList<string> valid)
    {
        var normal = value.Trim().ToLowerInvariant();
        return valid.Contains(normal) ? normal : throw OutOfRange(property, value, "one of " + string.Join(", ", valid));
    }

    private static DibException OutOfRange(string property, string value, string expected) =>
        new(ErrorCodes.VirtualHardwareOutOfRange,
            $"{property} '{value}' is not a value VMware and libvirt take for the machine the ova and vagrant-libvirt outputs describe. " +
            $"Set it to {expected}, or remove it for the default.");
}
