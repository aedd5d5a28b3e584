using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// apt-sources, apt-conf and apt-preferences on a tiny tree with an apt folder (no download): the files they
/// write into the image, read back from the tar output. Their bad inputs are in
/// <see cref="EverydayElementsBadInputTests"/>.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class AptElementsTests
{
    private static ImageProject s_project = null!;
    private static BuildResult s_build = null!;

    [ClassInitialize]
    public static void BuildOnce(TestContext context)
    {
        _ = context;
        s_project = ImageProject.Create("apt-elements", """
            <PropertyGroup>
              <ImageFormats>tar</ImageFormats>
              <ElementsPath>elements</ElementsPath>
            </PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" />
              <Element Include="apt-tree" />
              <Element Include="apt-sources" />
              <Element Include="apt-conf" />
              <Element Include="apt-preferences" />
              <ElementEnvironment Include="DIB_APT_SOURCES" Value="$(MSBuildProjectDirectory)/my.list" />
              <ElementEnvironment Include="DIB_APT_CONF" Value="$(MSBuildProjectDirectory)/my-apt.conf" />
              <ElementEnvironment Include="DIB_DPKG_MANIFEST" Value="$(MSBuildProjectDirectory)/dib-manifest-dpkg-old" />
            </ItemGroup>
            """);
        s_project.AddTestElement("tiny-os");
        s_project.AddTestElement("apt-tree");
        File.WriteAllText(Path.Combine(s_project.Directory, "my.list"), "deb http://127.0.0.1:9/mirror bookworm main contrib\n");
        File.WriteAllText(Path.Combine(s_project.Directory, "my-apt.conf"), "Acquire::Retries \"7\";\n");
        File.WriteAllText(Path.Combine(s_project.Directory, "dib-manifest-dpkg-old"),
            """
            {"package": "bash", "version": "5.2.15-2+b7"}
            {"version": "1:2.38.1-5+deb12u1", "package": "mount"}

            """);
        s_build = s_project.Build();
    }

    [ClassCleanup]
    public static void Cleanup() => s_project?.Dispose();

    private static string TarEntry(string path) =>
        Command.RunChecked("tar", "-xOf", Path.Combine(s_project.OutputDirectory(), "apt-elements.tar"), path.TrimStart('/'));

    private static string[] TarListing() =>
        Command.RunChecked("tar", "-tvf", Path.Combine(s_project.OutputDirectory(), "apt-elements.tar")).Split('\n');

    [TestMethod]
    public void AptSources_ReplacesTheSourcesWithTheGivenFile_AndDropsTheDeb822One()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("deb http://127.0.0.1:9/mirror bookworm main contrib\n", TarEntry("/etc/apt/sources.list"));
        Assert.IsFalse(TarListing().Any(l => l.EndsWith("etc/apt/sources.list.d/debian.sources", StringComparison.Ordinal)),
            "the bootstrap's deb822 file would list the archive a second time");
        StringAssert.Contains(TarListing().Single(l => l.EndsWith("etc/apt/sources.list", StringComparison.Ordinal)), "-rw-r--r--");
    }

    [TestMethod]
    public void AptConf_CopiesTheFileToAptConf()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual("Acquire::Retries \"7\";\n", TarEntry("/etc/apt/apt.conf"));
        StringAssert.Contains(TarListing().Single(l => l.EndsWith("etc/apt/apt.conf", StringComparison.Ordinal)), "-rw-r--r--");
    }

    [TestMethod]
    public void AptPreferences_PinsEveryManifestPackageToItsVersion_WhateverTheFieldOrder()
    {
        s_build.AssertSucceeded();
        Assert.AreEqual(
            "Package: bash\nPin: version 5.2.15-2+b7\nPin-Priority: 1001\n\n" +
            "Package: mount\nPin: version 1:2.38.1-5+deb12u1\nPin-Priority: 1001\n\n",
            TarEntry("/etc/apt/preferences"));
    }
}
