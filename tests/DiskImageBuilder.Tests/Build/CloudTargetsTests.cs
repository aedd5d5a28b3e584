using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Tests.Elements;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Build;

/// <summary>The cloud elements and formats in the plan: their rules, checked before any work.</summary>
[TestClass]
public sealed class CloudTargetsTests
{
    private const long MiB = 1L << 20;

    [TestMethod]
    public void Create_CloudFormats_AreDiskFormatsWithTheirHostTools()
    {
        using var tree = new TempElementTree();
        var plan = ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "ova;gce;vagrant-libvirt" });
        CollectionAssert.AreEqual(new[] { "img.ova", "img.gce.tar.gz", "img.vagrant-libvirt.box" }, plan.Outputs.Select(o => Path.GetFileName(o.Path)).ToList());
        Assert.IsTrue(plan.Outputs.All(o => o.Format.FromDisk));
        var tools = plan.HostTools().Select(t => t.Program).ToList();
        CollectionAssert.IsSubsetOf(new[] { "tar", "gzip", "qemu-img" }, tools);
        Assert.AreEqual(1L << 30, plan.DiskSizeMultipleBytes, "gce rounds the disk up to whole GiB");
    }

    [TestMethod]
    public void Create_WithoutGce_TheDiskIsWholeMiB()
    {
        using var tree = new TempElementTree();
        Assert.AreEqual(MiB, ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "ova;raw" }).DiskSizeMultipleBytes);
    }

    [TestMethod]
    public void Create_VirtualMachineProperties_ReachTheOutputOptions_FirmwareFromTheLayout()
    {
        using var tree = new TempElementTree();
        var plan = ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "ova", VirtualMachineCpus = "8", VirtualMachineMemory = "4GiB", VirtualMachineDiskController = "SATA" });
        var hardware = plan.OutputOptions().Hardware;
        Assert.AreEqual(new Outputs_Hardware(8, 4096, "sata", "vmxnet3", "VM Network", "bios"),
            new Outputs_Hardware(hardware.Cpus, hardware.MemoryMiB, hardware.DiskController, hardware.NetworkAdapter, hardware.Network, hardware.Firmware),
            "the test layout is MBR: BIOS");
        Assert.AreEqual("img", plan.OutputOptions().ImageName);
        Assert.AreEqual("my-os", plan.OutputOptions().OperatingSystem);
    }

    private sealed record Outputs_Hardware(int Cpus, long MemoryMiB, string Controller, string Adapter, string Network, string Firmware);

    [TestMethod]
    [DataRow("VirtualMachineCpus", "0")]
    [DataRow("VirtualMachineCpus", "1000")]
    [DataRow("VirtualMachineCpus", "two")]
    [DataRow("VirtualMachineMemory", "64MiB")]
    [DataRow("VirtualMachineMemory", "1.5KiB")]
    [DataRow("VirtualMachineMemory", "lots")]
    [DataRow("VirtualMachineDiskController", "nvme")]
    [DataRow("VirtualMachineNetworkAdapter", "virtio")]
    [DataRow("VirtualMachineFirmware", "coreboot")]
    [DataRow("VirtualMachineNetwork", " ")]
    public void Create_VirtualMachinePropertyOutOfRange_FailsWithDIB1009NamingItAndTheRange(string property, string value)
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => ImageBuildPlanTests.Create(tree, s => property switch
        {
            "VirtualMachineCpus" => s with { VirtualMachineCpus = value },
            "VirtualMachineMemory" => s with { VirtualMachineMemory = value },
            "VirtualMachineDiskController" => s with { VirtualMachineDiskController = value },
            "VirtualMachineNetworkAdapter" => s with { VirtualMachineNetworkAdapter = value },
            "VirtualMachineNetwork" => s with { VirtualMachineNetwork = value },
            _ => s with { VirtualMachineFirmware = value },
        }));
        Assert.AreEqual(ErrorCodes.VirtualHardwareOutOfRange, error.Code);
        StringAssert.Contains(error.Message, $"{property} '{value}'");
        StringAssert.Contains(error.Message, "Set it to ");
    }

    [TestMethod]
    public void Create_AzureWithADynamicVhd_FailsWithDIB1010NamingVhdSubformat()
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "vhd" }, ["azure"]));
        Assert.AreEqual(ErrorCodes.CloudDiskSize, error.Code);
        StringAssert.Contains(error.Message, "VhdSubformat is 'dynamic'");
        StringAssert.Contains(error.Message, "<VhdSubformat>fixed</VhdSubformat>");
        ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "vhd", VhdSubformat = "fixed" }, ["azure"]);
    }

    [TestMethod]
    [DataRow("gce", "vmdk", "gce")]
    [DataRow("azure", "qcow2", "vhd")]
    [DataRow("ec2", "qcow2", "raw, vmdk, vhd, ova")]
    [DataRow("vagrant", "qcow2", "vagrant-libvirt")]
    public void Create_CloudElementWithoutAFormatItsPlatformImports_WarnsDIB4902NamingTheFormats(string element, string formats, string taken)
    {
        using var tree = new TempElementTree();
        var log = new RecordingBuildLog();
        ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = formats }, [element], log);
        var warning = log.Lines.Single(l => l.StartsWith("warning DIB4902", StringComparison.Ordinal));
        StringAssert.Contains(warning, $"imports {taken}");
        StringAssert.Contains(warning, $"ImageFormats asks for {formats}");
    }

    [TestMethod]
    public void Create_CloudElementWithItsFormat_NoWarning()
    {
        using var tree = new TempElementTree();
        var log = new RecordingBuildLog();
        ImageBuildPlanTests.Create(tree, s => s with { ImageFormats = "gce;vmdk;vagrant-libvirt" }, ["gce", "ec2", "vagrant"], log);
        Assert.IsFalse(log.Lines.Any(l => l.Contains("DIB4902", StringComparison.Ordinal)), string.Join("\n", log.Lines));
    }

    [TestMethod]
    public void DiskPlanner_SizeMultiple_RoundsAComputedDiskUp_AndTheRootPartitionGrowsWithIt()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr);
        var root = new RootFilesystemSettings(FilesystemType.Ext4, "cloudimg-rootfs", null);
        var usage = new Dictionary<string, TreeUsage> { ["/"] = new(400 * MiB, 10000) };
        var plain = DiskPlanner.Plan(config, root, usage, null, 0);
        var gce = DiskPlanner.Plan(config, root, usage, null, 0, 1L << 30);
        Assert.AreNotEqual(0, plain.DiskBytes % (1L << 30), "the test needs a disk that is not whole GiB by itself");
        Assert.AreEqual(0, gce.DiskBytes % (1L << 30));
        Assert.AreEqual((plain.DiskBytes + (1L << 30) - 1) >> 30 << 30, gce.DiskBytes);
        Assert.IsGreaterThan(plain.Filesystems.Single().SizeBytes, gce.Filesystems.Single().SizeBytes);
    }

    [TestMethod]
    public void DiskPlanner_SizeMultiple_AFixedSizeThatIsNotAMultiple_FailsWithDIB1010NamingTheSizeToSet()
    {
        var config = BlockDeviceDefaults.Load(BlockDeviceDefaults.Mbr);
        var root = new RootFilesystemSettings(FilesystemType.Ext4, "cloudimg-rootfs", null);
        var usage = new Dictionary<string, TreeUsage> { ["/"] = new(400 * MiB, 10000) };
        var error = Assert.ThrowsExactly<DibException>(() => DiskPlanner.Plan(config, root, usage, 1500 * MiB, 0, 1L << 30));
        Assert.AreEqual(ErrorCodes.CloudDiskSize, error.Code);
        StringAssert.Contains(error.Message, "Set ImageSize to 2048MiB");
        Assert.AreEqual(2048 * MiB, DiskPlanner.Plan(config, root, usage, 2048 * MiB, 0, 1L << 30).DiskBytes);
    }
}
