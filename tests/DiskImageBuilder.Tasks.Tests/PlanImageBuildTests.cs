namespace DiskImageBuilder.Tasks.Tests;

[TestClass]
public sealed class PlanImageBuildTests
{
    private static ResolveElements Resolved(TaskProject project, params string[] extra)
    {
        project.AddElementFile("my-os", "element-provides", "operating-system\n");
        var resolve = project.Resolve(["my-os", "block-device-mbr", .. extra]);
        Assert.IsTrue(project.Run(resolve), project.Engine.Log);
        return resolve;
    }

    [TestMethod]
    public void Execute_DiskAndTreeFormats_ReturnOutputsWithTheirSourcesAndChecksums()
    {
        using var project = new TaskProject();
        var task = project.Plan(Resolved(project), t => { t.ImageFormats = "qcow2;tar"; t.ImageChecksums = "sha256;md5"; });

        Assert.IsTrue(project.Run(task), project.Engine.Log);

        Assert.IsTrue(task.NeedsDisk);
        var qcow2 = task.Outputs.Single(o => o.GetMetadata("Format") == "qcow2");
        Assert.AreEqual(Path.Combine(project.OutputDirectory, "test.qcow2"), qcow2.ItemSpec);
        Assert.AreEqual(task.RawDisk, qcow2.GetMetadata("Source"));
        Assert.AreEqual("amd64", qcow2.GetMetadata("TargetArch"));
        var tar = task.Outputs.Single(o => o.GetMetadata("Format") == "tar");
        Assert.AreEqual(task.TreeStamp, tar.GetMetadata("Source"), "a tree format is made from the finished tree");
        CollectionAssert.AreEquivalent(new[] { "test.qcow2.sha256", "test.qcow2.md5", "test.tar.sha256", "test.tar.md5" },
            task.ChecksumFiles.Select(f => Path.GetFileName(f.ItemSpec)).ToList());
        CollectionAssert.AreEqual(new[] { "root", "install", "post-root", "finalise" }, task.Stages.Select(s => s.ItemSpec).ToList());
        Assert.AreEqual("pre-install.d;install.d;post-install.d", task.Stages[1].GetMetadata("Phases"));
        CollectionAssert.IsSubsetOf(new[] { "unshare", "capsh", "mke2fs", "qemu-img", "getfattr" }, task.HostTools.Select(t => t.ItemSpec).ToList());
        Assert.AreEqual("qemu-utils", task.HostTools.Single(t => t.ItemSpec == "qemu-img").GetMetadata("Package"));
    }

    [TestMethod]
    public void Execute_OnlyTreeFormats_NeedsNoDisk()
    {
        using var project = new TaskProject();
        var task = project.Plan(Resolved(project), t => t.ImageFormats = "tar");
        Assert.IsTrue(project.Run(task), project.Engine.Log);
        Assert.IsFalse(task.NeedsDisk);
    }

    [TestMethod]
    [DataRow("ImageFormats", "qcow2;floppy", "DIB1003", "floppy")]
    [DataRow("Qcow2Compression", "lzma", "DIB1003", "lzma")]
    [DataRow("VhdSubformat", "sparse", "DIB1003", "sparse")]
    [DataRow("RootFilesystemType", "ntfs", "DIB3014", "ntfs")]
    [DataRow("DiskSignature", "xyz", "DIB3001", "xyz")]
    [DataRow("DiskGuid", "not-a-guid", "DIB3001", "not-a-guid")]
    [DataRow("RootFilesystemUuid", "1234", "DIB3001", "1234")]
    [DataRow("ImageSize", "lots", "DIB1004", "lots")]
    [DataRow("BlockDeviceConfig", "missing.yaml", "DIB3020", "missing.yaml")]
    public void Execute_BadProperty_LogsItsCodeNamingTheValueAndWritesNothing(string property, string value, string code, string named)
    {
        using var project = new TaskProject();
        var task = project.Plan(Resolved(project), t => typeof(PlanImageBuild).GetProperty(property)!.SetValue(t, value));

        Assert.IsFalse(project.Run(task));

        var error = project.Engine.Errors.Single();
        Assert.AreEqual(code, error.Code, error.Message);
        StringAssert.Contains(error.Message, named);
        Assert.IsFalse(Directory.Exists(project.WorkDirectory), "bad input leaves no work folder behind");
    }

    [TestMethod]
    public void Execute_ElementThatNeedsALoopDevice_LogsDIB2009NamingItsScriptFileAndLine_AndWritesNothing()
    {
        using var project = new TaskProject();
        var script = project.AddElementFile("iso-like", "cleanup.d/100-build-iso", "#!/bin/bash\nset -eu\nsudo mount -o loop efiboot.img \"$MOUNTPOINT\"\n", executable: true);
        var task = project.Plan(Resolved(project, "iso-like"));

        Assert.IsFalse(project.Run(task));

        var error = project.Engine.Errors.Single();
        Assert.AreEqual("DIB2009", error.Code, error.Message);
        StringAssert.Contains(error.Message, "Element 'iso-like'");
        Assert.AreEqual(script, error.File);
        Assert.AreEqual(3, error.LineNumber);
        Assert.IsFalse(Directory.Exists(project.WorkDirectory), "nothing ran and no work folder was made");
    }

    [TestMethod]
    public void Execute_SameSettingsTwice_LeavesTheInputsFilesUntouched_AndAChangedSettingRewritesOnlyItsFile()
    {
        using var project = new TaskProject();
        var resolved = Resolved(project);
        var first = project.Plan(resolved);
        Assert.IsTrue(project.Run(first), project.Engine.Log);
        var files = new[] { first.TreeInputsFile, first.DiskInputsFile, first.ConvertInputsFile, first.LayoutConfigFile };
        var old = DateTime.UtcNow.AddHours(-1);
        foreach (var file in files)
            File.SetLastWriteTimeUtc(file, old);

        project.NextBuild();
        Assert.IsTrue(project.Run(project.Plan(resolved)), project.Engine.Log);
        foreach (var file in files)
            Assert.AreEqual(old, File.GetLastWriteTimeUtc(file), $"{Path.GetFileName(file)} is rewritten only when it changes");

        project.NextBuild();
        Assert.IsTrue(project.Run(project.Plan(resolved, t => t.Qcow2Compression = "zlib")), project.Engine.Log);
        Assert.AreNotEqual(old, File.GetLastWriteTimeUtc(first.ConvertInputsFile), "the conversion settings changed");
        Assert.AreEqual(old, File.GetLastWriteTimeUtc(first.TreeInputsFile), "the tree's settings did not");
        StringAssert.Contains(File.ReadAllText(first.ConvertInputsFile), "Qcow2Compression=zlib");
    }

    [TestMethod]
    public void Execute_ElementEnvironment_ChangesTheTreeInputsWithoutWritingTheValue()
    {
        using var project = new TaskProject();
        var resolved = Resolved(project);
        var first = project.Plan(resolved, t => t.ElementEnvironment = [Item("DIB_SECRET_TOKEN", ("Value", "hunter2"))]);
        Assert.IsTrue(project.Run(first), project.Engine.Log);
        var before = File.ReadAllText(first.TreeInputsFile);
        project.NextBuild();
        Assert.IsTrue(project.Run(project.Plan(resolved, t => t.ElementEnvironment = [Item("DIB_SECRET_TOKEN", ("Value", "hunter3"))])));

        var after = File.ReadAllText(first.TreeInputsFile);
        Assert.AreNotEqual(before, after, "a changed variable makes the tree's inputs differ");
        Assert.DoesNotContain("hunter", before + after, "the value itself is never written");
    }

    private static Microsoft.Build.Framework.ITaskItem Item(string identity, params (string, string)[] metadata)
    {
        var item = new Microsoft.Build.Utilities.TaskItem(identity);
        foreach (var (name, value) in metadata)
            item.SetMetadata(name, value);
        return item;
    }
}
