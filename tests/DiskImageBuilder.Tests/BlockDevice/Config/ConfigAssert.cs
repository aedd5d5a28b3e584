using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Tests.BlockDevice.Config;

/// <summary>Parses YAML written in the tests and checks what a configuration error must carry.</summary>
internal static class ConfigAssert
{
    /// <summary>The source name every test parses under; errors must repeat it.</summary>
    public const string Source = "/project/layout.yaml";

    public static BlockDeviceConfig Parse(string yaml) => BlockDeviceConfigParser.Parse(yaml, Source);

    /// <summary>
    /// Parses <paramref name="yaml"/>, which must fail with <paramref name="code"/> at <paramref name="line"/>, and
    /// checks that the message names the source, the line and <paramref name="node"/> (e.g. <c>mkfs 'mkfs_root'</c>).
    /// </summary>
    public static DibException Fails(string yaml, string code, int line, string? node)
    {
        var error = Assert.ThrowsExactly<DibException>(() => Parse(yaml));
        Assert.AreEqual(code, error.Code, error.Message);
        Assert.AreEqual(Source, error.File, error.Message);
        Assert.AreEqual(line, error.Line, error.Message);
        Assert.Contains($"{Source} line {line}", error.Message);
        if (node is not null)
            Assert.Contains(node, error.Message);
        return error;
    }
}
