using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class ArchitectureProfileTests
{
    [TestMethod]
    [DataRow("amd64", "ttyS0,115200", "bios uefi", "i386-pc", "x86_64-efi", "X64", "", "block-device-mbr")]
    [DataRow("i386", "ttyS0,115200", "bios uefi", "i386-pc", "i386-efi", "IA32", "", "block-device-mbr")]
    [DataRow("arm64", "ttyAMA0,115200", "uefi", "", "arm64-efi", "AA64", "", "block-device-efi")]
    [DataRow("ppc64el", "hvc0", "ieee1275", "", "", "", "powerpc-ieee1275", "block-device-mbr")]
    public void Environment_GivesTheBootloaderItsTargetsAndConsole(string arch, string console, string firmware,
        string bios, string efi, string efiName, string ieee1275, string layout)
    {
        var profile = ArchitectureProfile.For(arch);
        var environment = profile.Environment.ToDictionary(v => v.Key, v => v.Value);

        Assert.AreEqual(console, environment["DIB_ARCH_CONSOLE"]);
        Assert.AreEqual(firmware, environment["DIB_BOOT_FIRMWARE"]);
        Assert.AreEqual(bios, environment["DIB_GRUB_BIOS_TARGET"]);
        Assert.AreEqual(efi, environment["DIB_GRUB_EFI_TARGET"]);
        Assert.AreEqual(efiName, environment["DIB_GRUB_EFI_NAME"]);
        Assert.AreEqual(ieee1275, environment["DIB_GRUB_IEEE1275_TARGET"]);
        Assert.AreEqual(layout, profile.DefaultLayout);
    }

    [TestMethod]
    [DataRow("x86_64", "amd64")]
    [DataRow("aarch64", "arm64")]
    [DataRow("i686", "i386")]
    [DataRow("ppc64le", "ppc64el")]
    public void For_AcceptsTheAliases(string alias, string name) => Assert.AreEqual(name, ArchitectureProfile.For(alias).Name);

    [TestMethod]
    [DataRow("s390x")]
    [DataRow("powerpc")]
    [DataRow("arm46")]
    public void For_AnArchitectureTheSdkDoesNotBuild_FailsWithDIB1001NamingTheValueAndTheList(string value)
    {
        var error = Assert.ThrowsExactly<DibException>(() => ArchitectureProfile.For(value));

        Assert.AreEqual(ErrorCodes.UnknownTargetArch, error.Code);
        StringAssert.Contains(error.Message, $"'{value}'");
        StringAssert.Contains(error.Message, "amd64, arm64, i386, ppc64el");
    }

    [TestMethod]
    public void Table_EveryKnownNameHasOneProfile() =>
        CollectionAssert.AreEquivalent(TargetArchitecture.Known.ToArray(), ArchitectureProfile.All.Select(p => p.Name).ToArray());
}
