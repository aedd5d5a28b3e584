using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Host;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Host;

[TestClass]
public sealed class ForeignArchitectureTests
{
    private static readonly RecordingBuildLog Log = new();

    private static string Binfmt(params (string Name, string Text)[] entries)
    {
        var dir = Directory.CreateTempSubdirectory("binfmt").FullName;
        File.WriteAllText(Path.Combine(dir, "register"), "");
        foreach (var (name, text) in entries)
            File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }

    [TestMethod]
    public void RequireBuildable_SameArchitecture_Passes() =>
        ForeignArchitecture.RequireBuildable("amd64", "amd64", Log, "/nonexistent", _ => throw new AssertFailedException("not asked"));

    [TestMethod]
    public void RequireBuildable_I386OnAnAmd64KernelThatRunsIt_Passes() =>
        ForeignArchitecture.RequireBuildable("i386", "amd64", Log, "/nonexistent", arch => arch == "i386");

    [TestMethod]
    public void RequireBuildable_I386OnAnAmd64KernelWithoutIa32_FailsWithDIB5004GivingTheRegistration()
    {
        var dir = Binfmt();
        try
        {
            var ex = Assert.ThrowsExactly<DibException>(() => ForeignArchitecture.RequireBuildable("i386", "amd64", Log, dir, _ => false));
            Assert.AreEqual(ErrorCodes.ForeignArchitecture, ex.Code);
            StringAssert.Contains(ex.Message, ForeignArchitecture.I386Registration);
            StringAssert.Contains(ex.Message, "qemu-user-static");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RequireBuildable_ForeignWithoutBinfmtMounted_FailsWithDIB5004NamingTheMountAndThePackage()
    {
        var ex = Assert.ThrowsExactly<DibException>(() => ForeignArchitecture.RequireBuildable("arm64", "amd64", Log, "/nonexistent"));
        Assert.AreEqual(ErrorCodes.ForeignArchitecture, ex.Code);
        StringAssert.Contains(ex.Message, "'arm64'");
        StringAssert.Contains(ex.Message, "mount -t binfmt_misc binfmt_misc /nonexistent");
        StringAssert.Contains(ex.Message, "qemu-user-static");
        StringAssert.Contains(ex.Message, "update-binfmts --enable qemu-aarch64");
    }

    [TestMethod]
    public void RequireBuildable_ForeignWithEnabledFixBinaryEntry_Passes()
    {
        var dir = Binfmt(("qemu-ppc64le", "enabled\ninterpreter /usr/libexec/qemu-binfmt/ppc64le-binfmt-P\nflags: PF\n"));
        try
        {
            ForeignArchitecture.RequireBuildable("ppc64el", "amd64", Log, dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RequireBuildable_EntryWithoutFixBinaryFlag_FailsWithDIB5004()
    {
        var dir = Binfmt(("qemu-aarch64", "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: \n"));
        try
        {
            var ex = Assert.ThrowsExactly<DibException>(() => ForeignArchitecture.RequireBuildable("arm64", "amd64", Log, dir));
            Assert.AreEqual(ErrorCodes.ForeignArchitecture, ex.Code);
            StringAssert.Contains(ex.Message, "fix-binary flag (F)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RequireBuildable_DisabledEntry_FailsWithDIB5004()
    {
        var dir = Binfmt(("qemu-aarch64", "disabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\n"));
        try
        {
            Assert.AreEqual(ErrorCodes.ForeignArchitecture,
                Assert.ThrowsExactly<DibException>(() => ForeignArchitecture.RequireBuildable("arm64", "amd64", Log, dir)).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
