using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class HostToolsTests
{
    [TestMethod]
    public void Require_SeveralToolsMissing_OneErrorNamesEveryToolAndTheAptGetLine()
    {
        var ex = Assert.ThrowsExactly<DibException>(() => HostTools.Require(
        [
            new HostTool("dib-no-such-tool-a", "pkg-a", "first purpose"),
            new HostTool("sh", "dash", "present, not reported"),
            new HostTool("dib-no-such-tool-b", "pkg-b", "second purpose", "dib-no-such-alternative"),
        ]));

        Assert.AreEqual(ErrorCodes.MissingHostTools, ex.Code);
        StringAssert.Contains(ex.Message, "dib-no-such-tool-a");
        StringAssert.Contains(ex.Message, "dib-no-such-tool-b or dib-no-such-alternative");
        StringAssert.Contains(ex.Message, "apt-get install -y pkg-a pkg-b");
        Assert.DoesNotContain("dash", ex.Message);
    }

    [TestMethod]
    public void Require_AlternativePresent_Passes()
    {
        HostTools.Require([new HostTool("dib-no-such-tool", "pkg", "purpose", "sh")]);
    }
}
