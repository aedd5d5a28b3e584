using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class ForeignArchitectureTests
{
    [TestMethod]
    public void RequireBuildable_SameArchitectureOrI386OnAmd64_Passes()
    {
        ForeignArchitecture.RequireBuildable("amd64", "amd64", "/nonexistent");
        ForeignArchitecture.RequireBuildable("i386", "amd64", "/nonexistent");
    }

    [TestMethod]
    public void RequireBuildable_ForeignWithoutBinfmt_FailsWithDIB5004NamingThePackage()
    {
        var ex = Assert.ThrowsExactly<DibException>(() => ForeignArchitecture.RequireBuildable("arm64", "amd64", "/nonexistent"));
        Assert.AreEqual(ErrorCodes.ForeignArchitecture, ex.Code);
        StringAssert.Contains(ex.Message, "arm64");
        StringAssert.Contains(ex.Message, "qemu-user-static");
        StringAssert.Contains(ex.Message, "qemu-aarch64");
    }

    [TestMethod]
    public void RequireBuildable_ForeignWithEnabledBinfmt_Passes()
    {
        var dir = Directory.CreateTempSubdirectory("binfmt").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n");
            ForeignArchitecture.RequireBuildable("arm64", "amd64", dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
