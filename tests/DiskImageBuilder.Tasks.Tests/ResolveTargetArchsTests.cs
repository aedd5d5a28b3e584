namespace DiskImageBuilder.Tasks.Tests;

[TestClass]
public sealed class ResolveTargetArchsTests
{
    [TestMethod]
    public void Execute_AliasesAndSeparators_OneItemPerCanonicalArchitectureInOrder()
    {
        using var project = new TaskProject();
        var task = new ResolveTargetArchs { TargetArchs = "x86_64,i686" };

        Assert.IsTrue(project.Run(task), project.Engine.Log);

        CollectionAssert.AreEqual(new[] { "amd64", "i386" }, task.Architectures.Select(a => a.ItemSpec).ToArray());
    }

    [TestMethod]
    public void Execute_UnsupportedArchitectures_OneDib1001NamingEach()
    {
        using var project = new TaskProject();
        var task = new ResolveTargetArchs { TargetArchs = "amd64;s390x;powerpc" };

        Assert.IsFalse(project.Run(task));

        var error = project.Engine.Errors.Single();
        Assert.AreEqual("DIB1001", error.Code);
        StringAssert.Contains(error.Message, "'s390x', 'powerpc'");
        Assert.IsEmpty(task.Architectures);
    }
}
