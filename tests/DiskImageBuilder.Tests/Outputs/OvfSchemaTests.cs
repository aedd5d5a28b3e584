using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// Every OVF descriptor the SDK writes, checked against the DMTF's OVF 1.x envelope schema (DSP8023 1.1.1 and the CIM
/// schemas it imports, TestData/ovf-schema), every import read from that folder and never from the network.
/// </summary>
[TestClass]
public sealed class OvfSchemaTests
{
    private static readonly string SchemaFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "ovf-schema");

    /// <summary>Resolves every schema location, local or http, to the file of that name in <see cref="SchemaFolder"/>.</summary>
    private sealed class LocalSchemaResolver : XmlResolver
    {
        // One URI per file, so that a schema imported by a local and by an http location is read once.
        public override Uri ResolveUri(Uri? baseUri, string? relativeUri)
        {
            var name = Path.GetFileName(new Uri(baseUri ?? new Uri(SchemaFolder + "/"), relativeUri ?? "").AbsolutePath);
            return new Uri(Path.Combine(SchemaFolder, name));
        }

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var path = Path.Combine(SchemaFolder, Path.GetFileName(absoluteUri.AbsolutePath));
            if (!File.Exists(path))
                throw new XmlException($"the schema {absoluteUri} is not in {SchemaFolder}");
            return File.OpenRead(path);
        }
    }

    private static XmlSchemaSet Schemas()
    {
        var set = new XmlSchemaSet { XmlResolver = new LocalSchemaResolver() };
        using (var reader = XmlReader.Create(Path.Combine(SchemaFolder, "dsp8023_1.1.1.xsd"),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = new LocalSchemaResolver() }))
            set.Add(null, reader);
        set.Compile();
        return set;
    }

    private static List<string> Validate(XDocument document)
    {
        var problems = new List<string>();
        // Through text, as a tool reading the .ovf file would.
        var reparsed = XDocument.Parse(document.ToString(SaveOptions.DisableFormatting));
        reparsed.Validate(Schemas(), (_, e) => problems.Add($"{e.Severity}: {e.Message}"));
        return problems;
    }

    [TestMethod]
    [DataRow("amd64", "debian", "bios", "scsi", "vmxnet3")]
    [DataRow("amd64", "ubuntu", "efi", "sata", "e1000")]
    [DataRow("arm64", "debian", "efi", "ide", "e1000e")]
    [DataRow("i386", "fedora", "bios", "scsi", "vmxnet3")]
    public void Descriptor_IsValidAgainstTheDmtfOvfEnvelopeSchema(string arch, string os, string firmware, string controller, string adapter)
    {
        var hardware = new VirtualHardware(2, 2048, controller, adapter, "VM Network", firmware);
        var document = OvfDescriptor.Create("web", "web-disk1.vmdk", 12345, 2L << 30, hardware, arch, os);
        var problems = Validate(document);
        Assert.IsEmpty(problems, string.Join('\n', problems));
    }

    [TestMethod]
    public void Validation_CanFail_OnADescriptorTheSchemaDoesNotAllow()
    {
        var document = OvfDescriptor.Create("web", "web-disk1.vmdk", 12345, 2L << 30, VirtualHardware.Default, "amd64", "debian");
        // A Disk without its required ovf:capacity, and RASD elements out of the schema's order.
        document.Descendants(OvfDescriptor.Ovf + "Disk").Single().Attribute(OvfDescriptor.Ovf + "capacity")!.Remove();
        var item = document.Descendants(OvfDescriptor.Ovf + "Item").First();
        var first = item.Elements().First();
        first.Remove();
        item.Add(first);
        var problems = Validate(document);
        Assert.IsTrue(problems.Any(p => p.Contains("capacity", StringComparison.Ordinal)), string.Join('\n', problems));
        Assert.IsGreaterThanOrEqualTo(2, problems.Count, string.Join('\n', problems));
    }
}
