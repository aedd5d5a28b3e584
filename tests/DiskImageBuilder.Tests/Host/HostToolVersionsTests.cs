using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using NuGet.Versioning;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class HostToolVersionsTests
{
    private static readonly List<string> s_folders = [];

    [ClassCleanup]
    public static void RemoveFakeTools()
    {
        foreach (var folder in s_folders)
            Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    [DataRow("qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard", "7.2.22")]
    [DataRow("qemu-img version 4.2.1 (Debian 1:4.2-3ubuntu6.30)", "4.2.1")]
    [DataRow("mmdebstrap 1.3.5", "1.3.5")]
    [DataRow("mmdebstrap 0.6.1", "0.6.1")]
    [DataRow("tool 10.1", "10.1.0")]
    public void Parse_TakesTheFirstVersionNumber(string text, string expected)
    {
        Assert.AreEqual(NuGetVersion.Parse(expected), HostToolVersions.Parse(text));
    }

    [TestMethod]
    public void Parse_TextWithoutAVersion_IsNull()
    {
        Assert.IsNull(HostToolVersions.Parse("usage: tool [options]"));
    }

    [TestMethod]
    public void Require_AProgramOlderThanItsMinimum_IsDIB5006NamingBothVersionsAndTheFix()
    {
        var tool = FakeTool("qemu-img version 4.2.1 (Debian 1:4.2-3)");
        var minimum = HostToolMinimum.QemuImgZstd with { Program = tool };

        var error = Assert.ThrowsExactly<DibException>(() => HostToolVersions.Require([minimum]));

        Assert.AreEqual(ErrorCodes.HostToolTooOld, error.Code);
        StringAssert.Contains(error.Message, $"{tool} is version 4.2.1");
        StringAssert.Contains(error.Message, "needs 5.1.0 or later");
        StringAssert.Contains(error.Message, "Qcow2Compression to zlib");
    }

    [TestMethod]
    public void Require_ANewEnoughProgram_Passes()
    {
        var tool = FakeTool("qemu-img version 5.1.0");

        HostToolVersions.Require([HostToolMinimum.QemuImgZstd with { Program = tool }]);
    }

    [TestMethod]
    public void Require_AVersionThatCannotBeRead_IsNotRefused()
    {
        var tool = FakeTool("no version here");

        HostToolVersions.Require([HostToolMinimum.MmdebstrapHooks with { Program = tool }]);
    }

    [TestMethod]
    public void Require_TheHostsOwnQemuImg_IsNewEnoughForZstd()
    {
        // The reference host (Debian 12) has qemu-img 7.2; the check passes there without a fake.
        if (HostTools.Find("qemu-img") is null)
            Assert.Inconclusive("qemu-img is not installed");

        HostToolVersions.Require([HostToolMinimum.QemuImgZstd]);
    }

    private static string FakeTool(string versionText)
    {
        var dir = Directory.CreateTempSubdirectory("dib-tool-");
        lock (s_folders)
            s_folders.Add(dir.FullName);
        var path = Path.Combine(dir.FullName, "tool");
        File.WriteAllText(path, $"#!/bin/sh\ncat <<'EOF'\n{versionText}\nEOF\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
