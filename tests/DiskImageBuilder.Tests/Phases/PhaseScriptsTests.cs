using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Tests.Elements;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class PhaseScriptsTests
{
    [TestMethod]
    public void Collect_ScriptsFromSeveralElements_InterleaveByName()
    {
        using var tree = new TempElementTree();
        tree.AddScript("os", "install.d", "10-os");
        tree.AddScript("os", "install.d", "90-os-late");
        var app = tree.AddScript("app", "install.d", "50-app");
        tree.AddScript("app", "post-install.d", "10-other-phase");
        tree.AddElement("empty");

        var list = PhaseScripts.Collect(tree.Set("os", "app", "empty"), PhaseNames.Install);

        Assert.AreEqual("install.d", list.Phase);
        CollectionAssert.AreEqual(
            new[] { ("10-os", "os"), ("50-app", "app"), ("90-os-late", "os") },
            list.Scripts.Select(script => (script.Name, script.ElementName)).ToArray());
        Assert.AreEqual(app, list.Scripts[1].FullPath);
        Assert.IsEmpty(list.Warnings);
    }

    [TestMethod]
    public void Collect_SameScriptNameInTwoElements_FailsNamingPhaseScriptAndBothElements()
    {
        using var tree = new TempElementTree();
        tree.AddScript("first", "cleanup.d", "50-same");
        tree.AddScript("second", "cleanup.d", "50-same");

        var error = Assert.ThrowsExactly<DibException>(() => PhaseScripts.Collect(tree.Set("first", "second"), PhaseNames.Cleanup));

        Assert.AreEqual(ErrorCodes.DuplicateHook, error.Code);
        Assert.Contains("cleanup.d", error.Message);
        Assert.Contains("'50-same'", error.Message);
        Assert.Contains("'first'", error.Message);
        Assert.Contains("'second'", error.Message);
    }

    [TestMethod]
    public void Collect_SameNonRunningFileNameInTwoElements_AlsoFails()
    {
        // DIB copies every file of the phase directory, so even files that never run collide.
        using var tree = new TempElementTree();
        tree.AddFile("first", "install.d/README.txt", "x");
        tree.AddFile("second", "install.d/README.txt", "y");

        var error = Assert.ThrowsExactly<DibException>(() => PhaseScripts.Collect(tree.Set("first", "second"), PhaseNames.Install));

        Assert.AreEqual(ErrorCodes.DuplicateHook, error.Code);
    }

    [TestMethod]
    public void Collect_SameSubdirectoryInTwoElements_IsMergedSilently()
    {
        // install-types keeps per-type alternatives in subdirectories of install.d, which DIB merges.
        using var tree = new TempElementTree();
        tree.AddFile("first", "install.d/foo-source-install/10-a", "x");
        tree.AddFile("second", "install.d/foo-source-install/20-b", "y");
        tree.AddScript("second", "install.d", "10-run");

        var list = PhaseScripts.Collect(tree.Set("first", "second"), PhaseNames.Install);

        CollectionAssert.AreEqual(new[] { "10-run" }, list.Scripts.Select(script => script.Name).ToArray());
        Assert.IsEmpty(list.Warnings);
    }

    [TestMethod]
    public void Collect_DottedAndNonExecutableFiles_AreWarnedNamingElementAndFile()
    {
        using var tree = new TempElementTree();
        tree.AddScript("tools", "install.d", "10-foo.sh");
        tree.AddScript("tools", "install.d", "20-forgot-chmod", executable: false);
        tree.AddScript("tools", "install.d", "30-fine");

        var list = PhaseScripts.Collect(tree.Set("tools"), PhaseNames.Install);

        CollectionAssert.AreEqual(new[] { "30-fine" }, list.Scripts.Select(script => script.Name).ToArray());
        Assert.HasCount(2, list.Warnings);
        Assert.Contains("'tools'", list.Warnings[0]);
        Assert.Contains("install.d/10-foo.sh", list.Warnings[0]);
        Assert.Contains("'tools'", list.Warnings[1]);
        Assert.Contains("install.d/20-forgot-chmod", list.Warnings[1]);
    }

    [TestMethod]
    public void Collect_DataFilesThatAScriptOfTheirElementUses_AreNotWarned()
    {
        using var tree = new TempElementTree();
        tree.AddFile("dhcp", "install.d/50-dhcp", "#!/bin/bash\ninstall -m 0644 $(dirname $0)/dhcp-interface@.service /usr/lib/systemd/system/\n");
        File.SetUnixFileMode(Path.Combine(tree.ElementsDir(), "dhcp", "install.d", "50-dhcp"), (UnixFileMode)0b111_101_101);
        tree.AddFile("dhcp", "install.d/dhcp-interface@.service", "[Unit]\n");
        tree.AddFile("dhcp", "install.d/forgotten.sh", "#!/bin/bash\n");
        tree.AddFile("other", "install.d/10-other", "#!/bin/bash\necho forgotten.sh\n");
        File.SetUnixFileMode(Path.Combine(tree.ElementsDir(), "other", "install.d", "10-other"), (UnixFileMode)0b111_101_101);

        var list = PhaseScripts.Collect(tree.Set("dhcp", "other"), PhaseNames.Install);

        CollectionAssert.AreEqual(new[] { "10-other", "50-dhcp" }, list.Scripts.Select(script => script.Name).ToArray());
        Assert.HasCount(1, list.Warnings, string.Join('\n', list.Warnings));
        Assert.Contains("install.d/forgotten.sh", list.Warnings[0], "another element's script naming it does not count");
    }

    [TestMethod]
    public void Collect_PhaseThatNoElementHas_IsEmpty()
    {
        using var tree = new TempElementTree();
        tree.AddScript("os", "install.d", "10-os");

        var list = PhaseScripts.Collect(tree.Set("os"), PhaseNames.BlockDevice);

        Assert.IsEmpty(list.Scripts);
        Assert.IsEmpty(list.Warnings);
    }
}
