using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Tests.BlockDevice.Layout;

[TestClass]
public sealed class LayoutFirmwareTests
{
    [TestMethod]
    [DataRow(BlockDeviceDefaults.Mbr, "bios")]
    [DataRow(BlockDeviceDefaults.Gpt, "bios")]
    [DataRow(BlockDeviceDefaults.Efi, "bios uefi")]
    [DataRow(BlockDeviceDefaults.MbrPpc64el, "bios ieee1275")]
    [DataRow(BlockDeviceDefaults.GptPpc64el, "ieee1275")]
    [DataRow(BlockDeviceDefaults.FilesystemOnly, "")]
    public void Offered_NamesWhatEachLayoutBootsWith(string layout, string firmware) =>
        Assert.AreEqual(firmware, LayoutFirmware.Offered(BlockDeviceDefaults.Load(layout)).Words());

    [TestMethod]
    [DataRow("amd64", BlockDeviceDefaults.Mbr)]
    [DataRow("amd64", BlockDeviceDefaults.Efi)]
    [DataRow("i386", BlockDeviceDefaults.Gpt)]
    [DataRow("arm64", BlockDeviceDefaults.Efi)]
    [DataRow("ppc64el", BlockDeviceDefaults.MbrPpc64el)]
    [DataRow("ppc64el", BlockDeviceDefaults.GptPpc64el)]
    public void RequireBootable_ALayoutTheArchitectureBootsFrom_Passes(string arch, string layout) =>
        LayoutFirmware.RequireBootable(BlockDeviceDefaults.Load(layout), ArchitectureProfile.For(arch), layout);

    [TestMethod]
    [DataRow(BlockDeviceDefaults.Mbr)]
    [DataRow(BlockDeviceDefaults.Gpt)]
    public void RequireBootable_BiosLayoutOnArm64_FailsWithDIB3006NamingBlockDeviceEfi(string layout)
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            LayoutFirmware.RequireBootable(BlockDeviceDefaults.Load(layout), ArchitectureProfile.Arm64, "element 'x'"));

        Assert.AreEqual(ErrorCodes.LayoutCannotBoot, error.Code);
        StringAssert.Contains(error.Message, "'arm64' boots with UEFI only");
        StringAssert.Contains(error.Message, "Use the block-device-efi element");
        StringAssert.Contains(error.Message, "element 'x'");
    }

    [TestMethod]
    public void RequireBootable_EfiLayoutOnPpc64el_FailsWithDIB3006NamingThePrepLayouts()
    {
        var error = Assert.ThrowsExactly<DibException>(() =>
            LayoutFirmware.RequireBootable(BlockDeviceDefaults.Load(BlockDeviceDefaults.Efi), ArchitectureProfile.Ppc64el, "element 'block-device-efi'"));

        Assert.AreEqual(ErrorCodes.LayoutCannotBoot, error.Code);
        StringAssert.Contains(error.Message, "PReP");
        StringAssert.Contains(error.Message, "block-device-mbr");
    }

    [TestMethod]
    public void RequireBootable_NoPartitionTable_FailsForEveryArchitecture()
    {
        foreach (var arch in ArchitectureProfile.All)
            Assert.AreEqual(ErrorCodes.LayoutCannotBoot, Assert.ThrowsExactly<DibException>(() =>
                LayoutFirmware.RequireBootable(BlockDeviceDefaults.Load(BlockDeviceDefaults.FilesystemOnly), arch, "built in")).Code, arch.Name);
    }
}
