using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class TargetArchitectureListTests
{
    [TestMethod]
    public void NormalizeList_KeepsTheOrderAndCanonicalNames() =>
        CollectionAssert.AreEqual(new[] { "amd64", "arm64", "ppc64el", "i386" },
            TargetArchitecture.NormalizeList("x86_64; arm64,ppc64le;i386").ToArray());

    [TestMethod]
    public void NormalizeList_UnknownNames_OneDIB1001NamingEveryOne()
    {
        var error = Assert.ThrowsExactly<DibException>(() => TargetArchitecture.NormalizeList("amd64;s390x;armd64"));

        Assert.AreEqual(ErrorCodes.UnknownTargetArch, error.Code);
        StringAssert.Contains(error.Message, "'s390x', 'armd64'");
        StringAssert.Contains(error.Message, "amd64, arm64, i386, ppc64el");
    }

    [TestMethod]
    public void NormalizeList_TwoSpellingsOfOneArchitecture_FailsWithDIB1006()
    {
        var error = Assert.ThrowsExactly<DibException>(() => TargetArchitecture.NormalizeList("amd64;arm64;x86_64"));

        Assert.AreEqual(ErrorCodes.DuplicateTargetArch, error.Code);
        StringAssert.Contains(error.Message, "'amd64', 'x86_64'");
    }

    [TestMethod]
    public void NormalizeList_Empty_FailsWithDIB1001() =>
        Assert.AreEqual(ErrorCodes.UnknownTargetArch, Assert.ThrowsExactly<DibException>(() => TargetArchitecture.NormalizeList(" ; ")).Code);
}
