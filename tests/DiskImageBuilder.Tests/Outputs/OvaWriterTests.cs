using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class OvaWriterTests
{
    private static readonly XNamespace Ovf = OvfDescriptor.Ovf;
    private static readonly XNamespace Rasd = OvfDescriptor.Rasd;

    private static XElement ItemOfType(XDocument document, int type) =>
        document.Descendants(Ovf + "Item").Single(i => i.Element(Rasd + "ResourceType")!.Value == type.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [TestMethod]
    public void Descriptor_DescribesTheDiskOnItsControllerAndTheMachinesHardware()
    {
        var hardware = new VirtualHardware(3, 1536, "sata", "e1000", "Lab", "efi");
        var document = OvfDescriptor.Create("web", "web-disk1.vmdk", 12345, 2L << 30, hardware, "amd64", "debian-minimal");
        Assert.AreEqual(Ovf + "Envelope", document.Root!.Name);
        var file = document.Descendants(Ovf + "File").Single();
        Assert.AreEqual("web-disk1.vmdk", file.Attribute(Ovf + "href")!.Value);
        Assert.AreEqual("12345", file.Attribute(Ovf + "size")!.Value);
        var disk = document.Descendants(Ovf + "Disk").Single();
        Assert.AreEqual((2L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), disk.Attribute(Ovf + "capacity")!.Value);
        Assert.AreEqual(OvfDescriptor.StreamOptimizedFormat, disk.Attribute(Ovf + "format")!.Value);
        Assert.AreEqual("3", ItemOfType(document, 3).Element(Rasd + "VirtualQuantity")!.Value);
        Assert.AreEqual("1536", ItemOfType(document, 4).Element(Rasd + "VirtualQuantity")!.Value);
        var controller = ItemOfType(document, 20);
        Assert.AreEqual("vmware.sata.ahci", controller.Element(Rasd + "ResourceSubType")!.Value);
        var diskItem = ItemOfType(document, 17);
        Assert.AreEqual(controller.Element(Rasd + "InstanceID")!.Value, diskItem.Element(Rasd + "Parent")!.Value, "the disk hangs off the controller");
        Assert.AreEqual("ovf:/disk/vmdisk1", diskItem.Element(Rasd + "HostResource")!.Value);
        var nic = ItemOfType(document, 10);
        Assert.AreEqual("E1000", nic.Element(Rasd + "ResourceSubType")!.Value);
        Assert.AreEqual("Lab", nic.Element(Rasd + "Connection")!.Value);
        Assert.AreEqual("Lab", document.Descendants(Ovf + "Network").Single().Attribute(Ovf + "name")!.Value);
        var config = document.Descendants(OvfDescriptor.Vmw + "Config").Single();
        Assert.AreEqual("firmware", config.Attribute(OvfDescriptor.Vmw + "key")!.Value);
        Assert.AreEqual("efi", config.Attribute(OvfDescriptor.Vmw + "value")!.Value);
        var os = document.Descendants(Ovf + "OperatingSystemSection").Single();
        Assert.AreEqual("96", os.Attribute(Ovf + "id")!.Value, "CIM's Debian 64-bit");
        Assert.AreEqual("debian11_64Guest", os.Attribute(OvfDescriptor.Vmw + "osType")!.Value);
    }

    [TestMethod]
    public void Descriptor_RasdElementsAreInTheSchemasOrder()
    {
        var document = OvfDescriptor.Create("x", "x-disk1.vmdk", 1, 1L << 20, VirtualHardware.Default, "amd64", "ubuntu");
        foreach (var item in document.Descendants(Ovf + "Item"))
        {
            var names = item.Elements().Select(e => e.Name.LocalName).ToList();
            CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToList(), names, "CIM RASD elements are a sequence in alphabetical order");
        }
        Assert.AreEqual("94", document.Descendants(Ovf + "OperatingSystemSection").Single().Attribute(Ovf + "id")!.Value, "Ubuntu 64-bit");
    }

    [TestMethod]
    public void Descriptor_Arm64_HasNoVmwareX86GuestType()
    {
        var document = OvfDescriptor.Create("x", "x-disk1.vmdk", 1, 1L << 20, VirtualHardware.Default, "arm64", "debian");
        Assert.IsNull(document.Descendants(Ovf + "OperatingSystemSection").Single().Attribute(OvfDescriptor.Vmw + "osType"));
    }

    [TestMethod]
    public async Task WriteAsync_UstarWithDescriptorManifestDisk_InThatOrder_ManifestDigestsMatch()
    {
        using var tree = new DiskImageBuilder.Tests.Elements.TempElementTree();
        var raw = Path.Combine(tree.Root, "disk.raw");
        var bytes = new byte[4 << 20];
        Random.Shared.NextBytes(bytes.AsSpan(0, 1 << 20));
        await File.WriteAllBytesAsync(raw, bytes);
        var ova = Path.Combine(tree.Root, "app.ova");
        await OvaWriter.WriteAsync(raw, ova, new OutputOptions { ImageName = "app", OperatingSystem = "debian" }, CancellationToken.None);

        var entries = new List<(string Name, byte[] Data, TarEntryFormat Format)>();
        await using (var stream = File.OpenRead(ova))
        {
            using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                using var data = new MemoryStream();
                await entry.DataStream!.CopyToAsync(data);
                entries.Add((entry.Name, data.ToArray(), entry.Format));
            }
        }
        CollectionAssert.AreEqual(new[] { "app.ovf", "app.mf", "app-disk1.vmdk" }, entries.Select(e => e.Name).ToList());
        Assert.IsTrue(entries.All(e => e.Format == TarEntryFormat.Ustar));
        var manifest = Encoding.ASCII.GetString(entries[1].Data).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[]
        {
            $"SHA256(app.ovf)= {Convert.ToHexStringLower(SHA256.HashData(entries[0].Data))}",
            $"SHA256(app-disk1.vmdk)= {Convert.ToHexStringLower(SHA256.HashData(entries[2].Data))}",
        }, manifest);
        var descriptor = XDocument.Parse(Encoding.UTF8.GetString(entries[0].Data));
        Assert.AreEqual(entries[2].Data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            descriptor.Descendants(Ovf + "File").Single().Attribute(Ovf + "size")!.Value);
        StringAssert.Contains(Encoding.ASCII.GetString(entries[2].Data, 512, 1024), "ddb.adapterType = \"lsilogic\"", "the SCSI controller's adapter type");
        Assert.IsFalse(File.Exists(ova + ".vmdk.partial"), "the scratch disk is removed");
    }

    [TestMethod]
    public void Vagrantfile_CarriesCpusMemoryAndForEfiTheLoader()
    {
        var bios = VagrantBoxWriter.Vagrantfile(new VirtualHardware(2, 1024, "scsi", "vmxnet3", "VM Network", "bios"));
        StringAssert.Contains(bios, "libvirt.cpus = 2");
        StringAssert.Contains(bios, "libvirt.memory = 1024");
        Assert.DoesNotContain("loader", bios);
        var efi = VagrantBoxWriter.Vagrantfile(new VirtualHardware(2, 1024, "scsi", "vmxnet3", "VM Network", "efi"));
        StringAssert.Contains(efi, "    libvirt.loader = \"/usr/share/OVMF/OVMF_CODE_4M.fd\"\n  end\nend\n");
        Assert.AreEqual("{\"provider\":\"libvirt\",\"format\":\"qcow2\",\"virtual_size\":3}\n", VagrantBoxWriter.Metadata(3));
    }
}
