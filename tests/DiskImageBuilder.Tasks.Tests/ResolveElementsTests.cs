namespace DiskImageBuilder.Tasks.Tests;

[TestClass]
public sealed class ResolveElementsTests
{
    [TestMethod]
    public void Execute_AnOsAndVm_ReturnsTheOrderedSetWithPathProvidesAndFiles()
    {
        using var project = new TaskProject();
        project.AddElementFile("my-os", "element-provides", "operating-system\n");
        var task = project.Resolve("my-os", "vm");
        task.TargetArch = "x86_64";

        Assert.IsTrue(project.Run(task), project.Engine.Log);

        Assert.AreEqual("amd64", task.NormalizedTargetArch);
        var names = task.ResolvedElements.Select(e => e.ItemSpec).ToList();
        CollectionAssert.IsSubsetOf(new[] { "my-os", "vm", "bootloader", "block-device-mbr", "base" }, names);
        var os = task.ResolvedElements.Single(e => e.ItemSpec == "my-os");
        Assert.AreEqual(Path.Combine(project.ElementsDirectory, "my-os"), os.GetMetadata("Path"));
        Assert.AreEqual("operating-system", os.GetMetadata("Provides"));
        Assert.AreEqual(Path.Combine(TaskProject.BuiltInElements, "vm"), task.ResolvedElements.Single(e => e.ItemSpec == "vm").GetMetadata("Path"));
        CollectionAssert.Contains(task.ElementFiles.Select(f => f.ItemSpec).ToList(), Path.Combine(project.ElementsDirectory, "my-os", "element-provides"));
        Assert.AreEqual($"{project.ElementsDirectory}:{TaskProject.BuiltInElements}", task.SearchPath);
    }

    [TestMethod]
    public void Execute_NoElements_LogsDib1002()
    {
        using var project = new TaskProject();
        Assert.IsFalse(project.Run(project.Resolve()));
        CollectionAssert.AreEqual(new[] { "DIB1002" }, project.Engine.ErrorCodes.ToList());
    }

    [TestMethod]
    public void Execute_UnknownElement_LogsDib2001NamingIt()
    {
        using var project = new TaskProject();
        Assert.IsFalse(project.Run(project.Resolve("debian-minimal", "no-such-element")));
        Assert.AreEqual("DIB2001", project.Engine.Errors.Single().Code);
        StringAssert.Contains(project.Engine.Errors.Single().Message, "no-such-element");
    }

    [TestMethod]
    public void Execute_UnknownArchitecture_LogsDib1001()
    {
        using var project = new TaskProject();
        var task = project.Resolve("debian-minimal");
        task.TargetArch = "sparc";
        Assert.IsFalse(project.Run(task));
        CollectionAssert.AreEqual(new[] { "DIB1001" }, project.Engine.ErrorCodes.ToList());
    }
}
