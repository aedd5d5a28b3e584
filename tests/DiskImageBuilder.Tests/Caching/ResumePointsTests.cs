using DiskImageBuilder.Caching;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Caching;

[TestClass]
public sealed class ResumePointsTests
{
    private string _root = "";

    [TestInitialize]
    public void CreateElement()
    {
        _root = Directory.CreateTempSubdirectory("resume-points-").FullName;
        Write("pre-install.d/10-prepare", "echo prepare");
        Write("install.d/10-packages", "apt-get install big");
        Write("install.d/50-late", "echo late");
        Write("install.d/data/list", "a");
        Write("post-install.d/10-after", "echo after");
    }

    [TestCleanup]
    public void RemoveElement() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void For_InstallStage_HasOnePointPerScriptInRunOrder()
    {
        CollectionAssert.AreEqual(new[] { "pre-install.d/10-prepare", "install.d/10-packages", "install.d/50-late", "post-install.d/10-after" },
            Points().Select(p => p.Name).ToArray());
    }

    [TestMethod]
    public void For_ALaterScriptChanges_KeepsTheKeysOfThePointsBeforeIt()
    {
        var before = Points();
        Write("install.d/50-late", "echo changed");
        var after = Points();

        Assert.AreEqual(before[0].Key, after[0].Key);
        Assert.AreEqual(before[1].Key, after[1].Key, "the point after 10-packages is still valid");
        Assert.AreNotEqual(before[2].Key, after[2].Key);
        Assert.AreNotEqual(before[3].Key, after[3].Key);
    }

    [TestMethod]
    public void For_AnEarlierScriptOrAFileTheScriptsMayRead_ChangesEveryLaterKey()
    {
        var before = Points();
        Write("install.d/data/list", "b");
        var afterData = Points();
        Assert.AreEqual(before[0].Key, afterData[0].Key, "pre-install.d ran before install.d's files existed for it");
        Assert.AreNotEqual(before[1].Key, afterData[1].Key, "a data file of install.d may be read by any of its scripts");

        Write("pre-install.d/10-prepare", "echo changed");
        var afterEarly = Points();
        Assert.IsTrue(afterData.Zip(afterEarly).All(p => p.First.Key != p.Second.Key));
    }

    [TestMethod]
    public void For_ANewScriptThatRunsLater_KeepsTheEarlierKeys_AndTheModeCounts()
    {
        var before = Points();
        Write("install.d/60-new", "echo new");
        Assert.AreEqual(before[2].Key, Points()[2].Key, "a script added after 50-late leaves the point after 50-late valid");

        File.SetUnixFileMode(Path.Combine(_root, "install.d", "10-packages"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.AreNotEqual(before[1].Key, Points().First(p => p.Name == "install.d/50-late").Key,
            "a script that no longer runs changes what the points after it hold");
    }

    [TestMethod]
    public void For_ThePreviousStageKey_ChangesEveryKey()
    {
        var stage = TreeStage.All.Single(s => s.Name == "install");
        var inputs = StageInputs.Collect([Element()], new Dictionary<string, string>(), "sdk")["install"];
        var a = ResumePoints.For(stage, "root-a", inputs, [Element()]);
        var b = ResumePoints.For(stage, "root-b", inputs, [Element()]);
        Assert.IsTrue(a.Zip(b).All(p => p.First.Key != p.Second.Key));
    }

    private IReadOnlyList<ResumePoint> Points()
    {
        var stage = TreeStage.All.Single(s => s.Name == "install");
        var inputs = StageInputs.Collect([Element()], new Dictionary<string, string>(), "sdk")["install"];
        return ResumePoints.For(stage, "root-key", inputs, [Element()]);
    }

    private Element Element() => new("probe", _root, [], []);

    private void Write(string relative, string body)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
