using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;
using DiskImageBuilder.Sandbox;

namespace DiskImageBuilder.Tests.Sandbox;

[TestClass]
public sealed class UserNamespaceTests
{
    [TestMethod]
    public void IdRange_TakesTheFirstLineOfTheUserByNameOrUid()
    {
        const string subuid = "alice:100000:65536\nbob:165536:65536\n1001:231072:70000\nbob:300000:10\n";
        Assert.AreEqual(new IdRange(165536, 65536), IdRange.FirstFor(subuid, "bob", 1000));
        Assert.AreEqual(new IdRange(231072, 70000), IdRange.FirstFor(subuid, "carol", 1001));
        Assert.IsNull(IdRange.FirstFor(subuid, "dave", 1002));
        Assert.IsNull(IdRange.FirstFor("dave:x:65536\ndave:5:0\n", "dave", 1002), "a range that does not parse, or is empty, is none");
    }

    [TestMethod]
    public void IdsInside_AreRootForTheUserAndOneOnForTheRange()
    {
        var ns = UserNamespace.For("bob", 1000, 1000, new IdRange(165536, 65536), new IdRange(200000, 65536));
        Assert.AreEqual(0u, ns.UidInside(1000));
        Assert.AreEqual(1u, ns.UidInside(165536));
        Assert.AreEqual(1000u, ns.UidInside(166535), "a dev user 1000 of the image");
        Assert.AreEqual(65536u, ns.UidInside(165536 + 65535), "the range's last id");
        Assert.AreEqual(65534u, ns.UidInside(0), "the host's root is nobody inside");
        Assert.AreEqual(65534u, ns.UidInside(165536 + 65536), "past the range");
        Assert.AreEqual(42u, ns.GidInside(200041));
    }

    [TestMethod]
    public void Wrap_RunsTheProgramThroughTheMappingScriptWithTheUsersRanges()
    {
        var ns = UserNamespace.For("bob", 1000, 1001, new IdRange(165536, 65536), new IdRange(200000, 70000));
        var wrapped = ns.Wrap(new ProcessSpec("mke2fs", ["-d", "/tree", "disk.raw"], WorkingDirectory: "/work", OutputPrefix: "mke2fs: "));
        Assert.AreEqual("/bin/bash", wrapped.Program);
        Assert.AreEqual("-c", wrapped.Arguments[0]);
        StringAssert.Contains(wrapped.Arguments[1], "newuidmap");
        CollectionAssert.AreEqual(
            new[] { "dib-userns", "1000", "165536", "65536", "1001", "200000", "70000", "mke2fs", "-d", "/tree", "disk.raw" },
            wrapped.Arguments.Skip(2).ToArray());
        Assert.AreEqual("/work", wrapped.WorkingDirectory);
        Assert.AreEqual("mke2fs: ", wrapped.OutputPrefix);
    }

    [TestMethod]
    [DataRow("/proc/sys/user/max_user_namespaces", "user.max_user_namespaces is 0", "sysctl -w user.max_user_namespaces=15000")]
    [DataRow("/proc/sys/kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone is 0", "sysctl -w kernel.unprivileged_userns_clone=1")]
    public void Require_OnAHostWithUserNamespacesOff_IsDib5007NamingTheSysctl(string knob, string why, string fix)
    {
        var ns = UserNamespace.For("bob", 1000, 1000, new IdRange(100000, 65536), new IdRange(100000, 65536));
        var error = Assert.ThrowsExactly<DibException>(() => ns.Require(new ProcessRunner(NullBuildLog.Instance), path => path == knob ? 0 : null));
        Assert.AreEqual(ErrorCodes.UserNamespacesDisabled, error.Code);
        StringAssert.Contains(error.Message, why);
        StringAssert.Contains(error.Message, $"As root, run: {fix}.");
    }

    [TestMethod]
    public void Require_WithoutSubordinateIds_IsDib5008NamingTheUsermodLine()
    {
        var ns = UserNamespace.For("bob", 1000, 1000, null, null);
        var error = Assert.ThrowsExactly<DibException>(() => ns.Require(new ProcessRunner(NullBuildLog.Instance)));
        Assert.AreEqual(ErrorCodes.NoSubordinateIds, error.Code);
        StringAssert.Contains(error.Message, "/etc/subuid gives bob none");
        StringAssert.Contains(error.Message, "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 bob");
    }

    [TestMethod]
    public void Require_WithARangeTooSmall_IsDib5008NamingTheSize()
    {
        var ns = UserNamespace.For("bob", 1000, 1000, new IdRange(100000, 1000), new IdRange(100000, 65536));
        var error = Assert.ThrowsExactly<DibException>(() => ns.Require(new ProcessRunner(NullBuildLog.Instance)));
        Assert.AreEqual(ErrorCodes.NoSubordinateIds, error.Code);
        StringAssert.Contains(error.Message, "only 1000 (from 100000)");
    }

    [TestMethod]
    public void TheProcessOfTheseTests_RunsAsRoot_SoBuildsUseNoNamespace()
    {
        if (UserNamespace.ProcessIds().Uid != 0)
            Assert.Inconclusive("runs as root only");
        Assert.IsNull(UserNamespace.Current);
        Assert.AreEqual("root", UserNamespace.ModeDescription);
    }
}
