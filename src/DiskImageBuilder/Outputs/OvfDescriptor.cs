using System.Globalization;
using System.Xml.Linq;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The OVF descriptor of the ova output: one virtual system with the image's disk on the chosen controller, a network
/// adapter, CPUs and memory, and the firmware (a VMware extension, which other readers skip). It uses the OVF 1.x
/// envelope namespace (DSP0243 1.1, schema DSP8023 1.1), which vSphere, VMware Workstation and VirtualBox all import;
/// the virtual hardware is described with the CIM RASD and VSSD classes, their elements in the schema's order.
/// </summary>
public static class OvfDescriptor
{
    public static readonly XNamespace Ovf = "http://schemas.dmtf.org/ovf/envelope/1";
    public static readonly XNamespace Rasd = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData";
    public static readonly XNamespace Vssd = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData";
    public static readonly XNamespace Vmw = "http://www.vmware.com/schema/ovf";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The disk format URI VMware gives streamOptimized VMDK files.</summary>
    public const string StreamOptimizedFormat = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized";

    /// <summary>The VMware virtual hardware version: vmx-14 (ESXi 6.7 and later) has EFI, SATA and vmxnet3.</summary>
    public const string VirtualSystemType = "vmx-14";

    /// <summary>The descriptor for a disk file <paramref name="diskFile"/> of <paramref name="diskFileBytes"/> holding a disk of <paramref name="capacityBytes"/>.</summary>
    public static XDocument Create(string name, string diskFile, long diskFileBytes, long capacityBytes, VirtualHardware hardware,
        string targetArch, string operatingSystem)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var (osId, vmwareOs, osDescription) = GuestOs(targetArch, operatingSystem);
        var controllerId = 3;
        var hardwareSection = new XElement(Ovf + "VirtualHardwareSection",
            new XElement(Ovf + "Info", "Virtual hardware requirements"),
            new XElement(Ovf + "System",
                new XElement(Vssd + "ElementName", "Virtual Hardware Family"),
                new XElement(Vssd + "InstanceID", "0"),
                new XElement(Vssd + "VirtualSystemIdentifier", name),
                new XElement(Vssd + "VirtualSystemType", VirtualSystemType)),
            Item(allocationUnits: "hertz * 10^6", description: "Number of virtual CPUs", elementName: $"{hardware.Cpus} virtual CPU(s)",
                instanceId: 1, resourceType: 3, virtualQuantity: hardware.Cpus),
            Item(allocationUnits: "byte * 2^20", description: "Memory size", elementName: $"{hardware.MemoryMiB}MB of memory",
                instanceId: 2, resourceType: 4, virtualQuantity: hardware.MemoryMiB),
            Controller(hardware.DiskController, controllerId),
            Item(addressOnParent: "0", elementName: "Hard disk 1", hostResource: "ovf:/disk/vmdisk1", instanceId: 4,
                parent: controllerId, resourceType: 17),
            Item(addressOnParent: "7", automaticAllocation: true, connection: hardware.Network,
                description: $"{AdapterSubType(hardware.NetworkAdapter)} ethernet adapter on \"{hardware.Network}\"",
                elementName: "Network adapter 1", instanceId: 5, resourceSubType: AdapterSubType(hardware.NetworkAdapter), resourceType: 10),
            new XElement(Vmw + "Config", new XAttribute(Ovf + "required", "false"), new XAttribute(Vmw + "key", "firmware"),
                new XAttribute(Vmw + "value", hardware.Firmware)));

        var osSection = new XElement(Ovf + "OperatingSystemSection", new XAttribute(Ovf + "id", osId.ToString(CultureInfo.InvariantCulture)),
            vmwareOs is null ? null : new XAttribute(Vmw + "osType", vmwareOs),
            new XElement(Ovf + "Info", "The operating system installed"),
            new XElement(Ovf + "Description", osDescription));

        var envelope = new XElement(Ovf + "Envelope",
            new XAttribute(XNamespace.Xmlns + "ovf", Ovf),
            new XAttribute(XNamespace.Xmlns + "rasd", Rasd),
            new XAttribute(XNamespace.Xmlns + "vssd", Vssd),
            new XAttribute(XNamespace.Xmlns + "vmw", Vmw),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
            new XAttribute(Ovf + "version", "1.0"),
            new XElement(Ovf + "References",
                new XElement(Ovf + "File", new XAttribute(Ovf + "href", diskFile), new XAttribute(Ovf + "id", "file1"),
                    new XAttribute(Ovf + "size", diskFileBytes.ToString(CultureInfo.InvariantCulture)))),
            new XElement(Ovf + "DiskSection",
                new XElement(Ovf + "Info", "Virtual disk information"),
                new XElement(Ovf + "Disk", new XAttribute(Ovf + "capacity", capacityBytes.ToString(CultureInfo.InvariantCulture)),
                    new XAttribute(Ovf + "capacityAllocationUnits", "byte"), new XAttribute(Ovf + "diskId", "vmdisk1"),
                    new XAttribute(Ovf + "fileRef", "file1"), new XAttribute(Ovf + "format", StreamOptimizedFormat))),
            new XElement(Ovf + "NetworkSection",
                new XElement(Ovf + "Info", "The list of logical networks"),
                new XElement(Ovf + "Network", new XAttribute(Ovf + "name", hardware.Network),
                    new XElement(Ovf + "Description", $"The {hardware.Network} network"))),
            new XElement(Ovf + "VirtualSystem", new XAttribute(Ovf + "id", name),
                new XElement(Ovf + "Info", "A virtual machine built by DiskImageBuilder.Sdk"),
                new XElement(Ovf + "Name", name),
                osSection,
                hardwareSection));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), envelope);
    }

    private static XElement Controller(string kind, int instanceId) => kind switch
    {
        "scsi" => Item(description: "SCSI Controller", elementName: "SCSI Controller 0", instanceId: instanceId, resourceSubType: "lsilogic", resourceType: 6),
        "sata" => Item(address: "0", description: "SATA Controller", elementName: "SATA Controller 0", instanceId: instanceId,
            resourceSubType: "vmware.sata.ahci", resourceType: 20),
        _ => Item(address: "0", description: "IDE Controller", elementName: "IDE Controller 0", instanceId: instanceId, resourceType: 5),
    };

    private static string AdapterSubType(string adapter) => adapter switch
    {
        "vmxnet3" => "VmxNet3",
        "e1000e" => "E1000e",
        _ => "E1000",
    };

    /// <summary>
    /// The CIM operating system type (CIM_OperatingSystem.OsType: 93/94 Ubuntu, 95/96 Debian, 100/101 Linux 2.6.x, 32/64-bit)
    /// and VMware's guest id for x86 (others: the CIM type only).
    /// </summary>
    private static (int Id, string? VmwareOs, string Description) GuestOs(string targetArch, string operatingSystem)
    {
        var x86 = targetArch is "amd64" or "i386";
        var bits64 = targetArch != "i386";
        var family = operatingSystem.StartsWith("ubuntu", StringComparison.Ordinal) ? "ubuntu"
            : operatingSystem.StartsWith("debian", StringComparison.Ordinal) ? "debian" : "linux";
        return family switch
        {
            "ubuntu" => (bits64 ? 94 : 93, x86 ? bits64 ? "ubuntu64Guest" : "ubuntuGuest" : null, $"Ubuntu ({targetArch})"),
            "debian" => (bits64 ? 96 : 95, x86 ? bits64 ? "debian11_64Guest" : "debian11Guest" : null, $"Debian GNU/Linux ({targetArch})"),
            _ => (bits64 ? 101 : 100, x86 ? bits64 ? "other4xLinux64Guest" : "other4xLinuxGuest" : null, $"Linux ({targetArch})"),
        };
    }

    // One RASD item; its elements in the schema's (alphabetical) order.
    private static XElement Item(int instanceId, int resourceType, string? address = null, string? addressOnParent = null,
        string? allocationUnits = null, bool? automaticAllocation = null, string? connection = null, string? description = null,
        string? elementName = null, string? hostResource = null, int? parent = null, string? resourceSubType = null, long? virtualQuantity = null)
    {
        var item = new XElement(Ovf + "Item");
        void Add(string element, object? value)
        {
            if (value is not null)
                item.Add(new XElement(Rasd + element, value is bool b ? b ? "true" : "false" : Convert.ToString(value, CultureInfo.InvariantCulture)));
        }
        Add("Address", address);
        Add("AddressOnParent", addressOnParent);
        Add("AllocationUnits", allocationUnits);
        Add("AutomaticAllocation", automaticAllocation);
        Add("Connection", connection);
        Add("Description", description);
        Add("ElementName", elementName);
        Add("HostResource", hostResource);
        Add("InstanceID", instanceId);
        Add("Parent", parent);
        Add("ResourceSubType", resourceSubType);
        Add("ResourceType", resourceType);
        Add("VirtualQuantity", virtualQuantity);
        return item;
    }
}
