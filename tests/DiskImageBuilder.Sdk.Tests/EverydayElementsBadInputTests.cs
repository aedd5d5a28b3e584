using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Bad values for the everyday elements: one coded error, raised in the phase that reads the value,
/// that names the element, the variable and the value. The tiny test OS (no download) carries the
/// elements that need no package; the missing package needs a real Debian tree and its package lists.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class EverydayElementsBadInputTests
{
    private static BuildResult BuildTiny(string name, string[] elements, params (string Name, string Value)[] environment)
    {
        using var project = ImageProject.Create(name, $"""
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <ElementsPath>elements</ElementsPath>
              <DiskImageCacheDir>$(MSBuildProjectDirectory)/cache/</DiskImageCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              {string.Join("\n  ", elements.Select(e => $"<Element Include=\"{e}\" />"))}
              {string.Join("\n  ", environment.Select(v => $"<ElementEnvironment Include=\"{v.Name}\" Value=\"{v.Value}\" />"))}
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("sysctl-caller");
        var result = project.Build();
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory(), name + ".tar")), "no image is written");
        return result;
    }

    private static void AssertOneError(BuildResult result, string code, params string[] named)
    {
        Assert.AreNotEqual(0, result.ExitCode, "dotnet build must exit non-zero");
        CollectionAssert.AreEqual(new[] { code }, result.ErrorCodes.ToArray(), result.Output);
        foreach (var text in named)
            StringAssert.Contains(result.Errors[0], text, result.Output);
    }

    [TestMethod]
    public void Modprobe_BlacklistWordThatIsNoModuleName_FailsWithDIB2301InInstallD()
    {
        var result = BuildTiny("bad-blacklist", ["modprobe"], ("DIB_MODPROBE_BLACKLIST", "floppy ../evil"));

        AssertOneError(result, "DIB2301", "modprobe", "DIB_MODPROBE_BLACKLIST", "'../evil'", "phase install.d");
    }

    [TestMethod]
    [DataRow("kernel.bad key", "DIB2301", "not a sysctl key")]
    [DataRow("kernel.no_such_key_anywhere", "DIB2303", "does not know")]
    public void Sysctl_MalformedOrUnknownKey_FailsWithItsCodeNamingTheKey(string key, string code, string why)
    {
        var result = BuildTiny("bad-sysctl", ["sysctl-caller"], ("SYSCTL_CALLER_KEY", key));

        AssertOneError(result, code, "sysctl", $"'{key}'", why, "element 'sysctl-caller'");
    }

    [TestMethod]
    public void DibInitSystem_UnknownInitSystem_FailsWithDIB2301NamingIt()
    {
        var result = BuildTiny("bad-init", ["dib-init-system"], ("DIB_INIT_SYSTEM", "launchd"));

        AssertOneError(result, "DIB2301", "dib-init-system", "DIB_INIT_SYSTEM='launchd'", "phase pre-install.d");
    }

    [TestMethod]
    [DataRow("apt-sources", "DIB_APT_SOURCES")]
    [DataRow("apt-conf", "DIB_APT_CONF")]
    [DataRow("apt-preferences", "DIB_DPKG_MANIFEST")]
    public void AptElements_FileThatDoesNotExist_FailsWithDIB2304NamingTheVariableAndPath(string element, string variable)
    {
        var missing = Path.Combine(Path.GetTempPath(), "dib-no-such-file-" + element);

        var result = BuildTiny("bad-" + element, [element], (variable, missing));

        AssertOneError(result, "DIB2304", element, $"{variable}='{missing}'", "phase extra-data.d");
    }

    [TestMethod]
    [TestCategory(TestCategories.Network)]
    public void StableInterfaceNames_PackageDebianDoesNotHave_FailsWithDIB2302NamingElementPackageAndDistro()
    {
        using var project = ImageProject.Create("no-biosdevname", """
            <PropertyGroup><ImageFormats>tar</ImageFormats></PropertyGroup>
            <ItemGroup>
              <Element Include="debian-minimal" />
              <Element Include="stable-interface-names" />
            </ItemGroup>
            """);

        var result = project.Build();

        AssertOneError(result, "DIB2302", "Element 'stable-interface-names'", "package 'biosdevname'", "debian bookworm (amd64)", "phase install.d");
    }
}
