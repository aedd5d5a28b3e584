using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// The cloud targets on the same build: the ec2, azure, gce and vagrant elements in the booted image, and the ova, gce,
/// vagrant-libvirt and fixed vhd packages read back by the tools that read them (tar, xmllint, qemu-img, vagrant).
/// No cloud is reachable from here: what each platform's import does with the files is not tested.
/// </summary>
public sealed partial class CloudImageTests
{
    private const string CloudFormats = "ova;gce;vagrant-libvirt;vhd";

    private const string CloudProperties = """
        <PropertyGroup>
          <VhdSubformat>fixed</VhdSubformat>
          <VirtualMachineCpus>4</VirtualMachineCpus>
          <VirtualMachineMemory>3GiB</VirtualMachineMemory>
          <VirtualMachineNetwork>Build Network</VirtualMachineNetwork>
        </PropertyGroup>
        """;

    private static readonly (string Name, string Command)[] CloudProbes =
    [
        ("cmdline", "cat /proc/cmdline"),
        // The drivers the boot has: in the initramfs, or built into the kernel (Debian's cloud kernel builds some in).
        ("initramfs-modules", "{ sudo -n lsinitramfs /boot/initrd.img-$(uname -r); cat /lib/modules/$(uname -r)/modules.builtin; } " +
            "| grep -o -E '/(ena|nvme|xen-blkfront|hv_vmbus|hv_storvsc|hv_netvsc|gve|virtio_scsi)\\.ko[^/]*$' | sort -u"),
        ("vagrant-sudo", "sudo -n -u vagrant sudo -n id -un"),
        ("guest-agent", "sudo -n systemctl is-enabled google-guest-agent.service; sudo -n systemctl show -p Result --value google-guest-agent.service"),
    ];

    private static string Scratch(string name)
    {
        var folder = Path.Combine(s_project.Directory, "read-back", name);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }

    [TestMethod]
    public void Boot_CloudElementsPutTheirDriversInTheInitramfsAndTheirParametersOnTheCommandLine()
    {
        var modules = Lines(Probe("initramfs-modules"));
        foreach (var module in new[] { "ena", "nvme", "xen-blkfront", "hv_vmbus", "hv_storvsc", "hv_netvsc", "gve", "virtio_scsi" })
            Assert.IsTrue(modules.Any(m => m.StartsWith($"/{module}.ko", StringComparison.Ordinal)), $"{module} in the initramfs: {string.Join(" ", modules)}");
        var cmdline = Probe("cmdline");
        StringAssert.Contains(cmdline, "nvme_core.io_timeout=4294967295", "ec2");
        StringAssert.Contains(cmdline, "earlyprintk=ttyS0", "azure");
        StringAssert.Contains(cmdline, "console=ttyS0", "the serial console every cloud reads");
    }

    [TestMethod]
    public void Boot_VagrantUserHasPasswordlessSudoAndVagrantsInsecureKey_GceGuestAgentIsEnabledButSkippedOffComputeEngine()
    {
        Assert.AreEqual("root", Lines(Probe("vagrant-sudo")).Last(l => l.Length > 0));
        Assert.IsFalse(Probe("vagrant-sudo").Contains("unable to resolve host", StringComparison.Ordinal), "the hostname resolves (127.0.1.1)");
        var agent = Lines(Probe("guest-agent")).Where(l => l.Length > 0).ToList();
        CollectionAssert.AreEqual(new[] { "enabled", "exec-condition" }, agent.TakeLast(2).ToList(),
            "enabled, and skipped on a machine that is not Compute Engine: " + string.Join(" | ", agent));
        var key = ImageFiles.ReadFile(Raw, "/home/vagrant/.ssh/authorized_keys").Trim();
        // Debian's vagrant package ships Vagrant's insecure key: the image must hold exactly that key.
        var packaged = Directory.EnumerateFiles("/usr/share/rubygems-integration/all/gems", "vagrant.pub", SearchOption.AllDirectories).First();
        Assert.AreEqual(File.ReadAllText(packaged).Trim(), key);
        Assert.AreEqual("100600", Entry("/home/vagrant/.ssh", "authorized_keys").Mode);
        Assert.AreEqual("UseDNS no", ImageFiles.ReadFile(Raw, "/etc/ssh/sshd_config.d/vagrant.conf").Split('\n')[1].Trim());
        StringAssert.Contains(ImageFiles.ReadFile(Raw, "/etc/chrony/sources.d/gce.sources"), "server metadata.google.internal");
    }

    [TestMethod]
    public void Ova_HoldsDescriptorManifestAndStreamOptimizedDiskInThatOrder_ThatReadBackAsTheDisk()
    {
        s_build.AssertSucceeded();
        var ova = Image("ova");
        var header = new byte[512];
        using (var stream = File.OpenRead(ova))
            stream.ReadExactly(header);
        Assert.AreEqual("ustar\000", System.Text.Encoding.ASCII.GetString(header, 257, 8), "a POSIX ustar archive");
        var members = Command.StandardOutput("tar", "-tf", ova).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[] { "cloud-image.ovf", "cloud-image.mf", "cloud-image-disk1.vmdk" }, members, "the .ovf first, the manifest next");

        var folder = Scratch("ova");
        Command.RunChecked("tar", "-xf", ova, "-C", folder);
        foreach (var line in File.ReadAllLines(Path.Combine(folder, "cloud-image.mf")))
        {
            var file = line[(line.IndexOf('(') + 1)..line.IndexOf(')')];
            using var stream = File.OpenRead(Path.Combine(folder, file));
            Assert.AreEqual($"SHA256({file})= {Convert.ToHexStringLower(SHA256.HashData(stream))}", line, "the manifest's digest");
        }
        var descriptor = Path.Combine(folder, "cloud-image.ovf");
        Command.RunChecked("xmllint", "--noout", descriptor);
        var xml = XDocument.Load(descriptor);
        XNamespace ovf = "http://schemas.dmtf.org/ovf/envelope/1";
        XNamespace rasd = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData";
        var items = xml.Descendants(ovf + "Item").ToList();
        string Quantity(int type) => items.Single(i => i.Element(rasd + "ResourceType")!.Value == type.ToString(CultureInfo.InvariantCulture))
            .Element(rasd + "VirtualQuantity")!.Value;
        Assert.AreEqual("4", Quantity(3), "VirtualMachineCpus");
        Assert.AreEqual("3072", Quantity(4), "VirtualMachineMemory in MiB");
        Assert.AreEqual("lsilogic", items.Single(i => i.Element(rasd + "ResourceType")!.Value == "6").Element(rasd + "ResourceSubType")!.Value);
        Assert.AreEqual("Build Network", items.Single(i => i.Element(rasd + "ResourceType")!.Value == "10").Element(rasd + "Connection")!.Value);
        Assert.AreEqual("bios", xml.Descendants().Single(e => e.Name.LocalName == "Config").Attributes().Single(a => a.Name.LocalName == "value").Value,
            "an MBR layout boots with BIOS");
        var disk = xml.Descendants(ovf + "Disk").Single();
        Assert.AreEqual(new FileInfo(Raw).Length.ToString(CultureInfo.InvariantCulture), disk.Attribute(ovf + "capacity")!.Value);
        Assert.AreEqual(new FileInfo(Path.Combine(folder, "cloud-image-disk1.vmdk")).Length.ToString(CultureInfo.InvariantCulture),
            xml.Descendants(ovf + "File").Single().Attribute(ovf + "size")!.Value);
        var vmdk = Path.Combine(folder, "cloud-image-disk1.vmdk");
        StringAssert.Contains(ImageFiles.QemuImgInfo(vmdk).GetProperty("format-specific").GetProperty("data").GetProperty("create-type").GetString(), "streamOptimized");
        Command.RunChecked("qemu-img", "compare", "-f", "vmdk", "-F", "raw", vmdk, Raw);
    }

    [TestMethod]
    public void Gce_IsAGnuTarOfOneDiskRawOfWholeGiB_ThatIsTheDisk()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(0, new FileInfo(Raw).Length % (1L << 30), "the disk was rounded up to whole GiB for gce");
        var archive = Image("gce.tar.gz");
        var listing = Command.StandardOutput("tar", "-tzf", archive).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[] { "disk.raw" }, listing);
        var header = new byte[512];
        using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress))
            gzip.ReadExactly(header);
        Assert.AreEqual("ustar  \0", System.Text.Encoding.ASCII.GetString(header, 257, 8), "the GNU (oldgnu) tar magic, as tar --format=oldgnu writes it");
        var folder = Scratch("gce");
        Command.RunChecked("tar", "-xzSf", archive, "-C", folder);
        Command.RunChecked("cmp", Path.Combine(folder, "disk.raw"), Raw);
    }

    [TestMethod]
    public void VagrantLibvirt_BoxIsTakenByVagrantBoxAdd_AndHoldsTheDiskAsQcow2()
    {
        s_build.AssertSucceeded();
        var box = Image("vagrant-libvirt.box");
        var folder = Scratch("vagrant");
        Command.RunChecked("tar", "-xzf", box, "-C", folder);
        using (var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metadata.json"))))
        {
            Assert.AreEqual("libvirt", metadata.RootElement.GetProperty("provider").GetString());
            Assert.AreEqual("qcow2", metadata.RootElement.GetProperty("format").GetString());
            Assert.AreEqual(new FileInfo(Raw).Length >> 30, metadata.RootElement.GetProperty("virtual_size").GetInt64());
        }
        var vagrantfile = File.ReadAllText(Path.Combine(folder, "Vagrantfile"));
        StringAssert.Contains(vagrantfile, "libvirt.cpus = 4");
        StringAssert.Contains(vagrantfile, "libvirt.memory = 3072");
        Command.RunChecked("qemu-img", "compare", "-f", "qcow2", "-F", "raw", Path.Combine(folder, "box.img"), Raw);

        var home = Path.Combine(folder, "vagrant-home");
        var add = Command.Run("vagrant", ["box", "add", "--name", "dib-test/cloud-image", box], environment: new Dictionary<string, string?> { ["VAGRANT_HOME"] = home });
        Assert.AreEqual(0, add.ExitCode, add.Output);
        var list = Command.Run("vagrant", ["box", "list"], environment: new Dictionary<string, string?> { ["VAGRANT_HOME"] = home });
        StringAssert.Contains(list.Output, "dib-test/cloud-image (libvirt, 0)");
    }

    [TestMethod]
    public void Vhd_ForAzureIsFixedWithAWholeMiBVirtualSize()
    {
        s_build.AssertSucceeded();
        // qemu-img probes a fixed VHD as raw (its footer is at the end): name the format.
        var info = ImageFiles.QemuImgInfo(Image("vhd"), "vpc");
        Assert.AreEqual("vpc", info.GetProperty("format").GetString());
        Assert.AreEqual(new FileInfo(Raw).Length, info.GetProperty("virtual-size").GetInt64());
        Assert.AreEqual(0, info.GetProperty("virtual-size").GetInt64() % (1L << 20), "whole MiB");
        // A fixed VHD is the disk followed by the 512-byte footer whose disk type (offset 60, big-endian) is 2.
        var vhd = Image("vhd");
        var footer = new byte[512];
        using (var stream = File.OpenRead(vhd))
        {
            stream.Seek(-512, SeekOrigin.End);
            stream.ReadExactly(footer);
        }
        Assert.AreEqual("conectix", System.Text.Encoding.ASCII.GetString(footer, 0, 8));
        Assert.AreEqual(2, footer[63], "disk type fixed");
        Assert.AreEqual(new FileInfo(Raw).Length + 512, new FileInfo(vhd).Length);
    }
}
