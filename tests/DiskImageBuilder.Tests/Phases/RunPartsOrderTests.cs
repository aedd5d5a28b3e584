using DiskImageBuilder.Phases;
using DiskImageBuilder.Tests.Elements;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class RunPartsOrderTests
{
    private static string[] RunOrder(params string[] names) =>
        [.. RunPartsOrder.Order(names.Select(name => (name, true, true))).Run];

    [TestMethod]
    public void Order_LeadingNumbers_CompareNumerically()
    {
        CollectionAssert.AreEqual(new[] { "9-a", "10-b", "100-c" }, RunOrder("100-c", "10-b", "9-a"));
    }

    [TestMethod]
    public void Order_SameNumber_BreaksTiesByteWise()
    {
        CollectionAssert.AreEqual(new[] { "10-B", "10-a", "10-b" }, RunOrder("10-b", "10-a", "10-B"));
    }

    [TestMethod]
    public void Order_NameWithoutNumber_CountsAsZero()
    {
        CollectionAssert.AreEqual(new[] { "00-first", "foo", "01-x" }, RunOrder("01-x", "foo", "00-first"));
    }

    [TestMethod]
    public void Order_LeadingZeros_AreTheSameNumberAndTieBreakByName()
    {
        CollectionAssert.AreEqual(new[] { "010-z", "10-a", "11-a" }, RunOrder("11-a", "10-a", "010-z"));
    }

    [TestMethod]
    public void Order_NegativeNumber_SortsBeforeZero()
    {
        CollectionAssert.AreEqual(new[] { "-5-early", "-1-x", "abc", "1-y" }, RunOrder("1-y", "abc", "-1-x", "-5-early"));
    }

    [TestMethod]
    public void Order_HugeNumbers_DoNotOverflow()
    {
        CollectionAssert.AreEqual(
            new[] { "99999999999999999999-a", "100000000000000000000-a" },
            RunOrder("100000000000000000000-a", "99999999999999999999-a"));
    }

    [TestMethod]
    public void Order_DottedName_IsSkippedAsInvalidName()
    {
        var result = RunPartsOrder.Order([("10-foo.sh", true, true), ("20-bar", true, true)]);

        CollectionAssert.AreEqual(new[] { "20-bar" }, result.Run.ToArray());
        CollectionAssert.AreEqual(new[] { new SkippedScript("10-foo.sh", RunPartsSkipReason.InvalidName) }, result.Skipped.ToArray());
    }

    [TestMethod]
    public void Order_NonExecutableAndNonRegularFiles_AreSkippedWithTheReason()
    {
        var result = RunPartsOrder.Order([("10-plain", false, true), ("20-dir", true, false), ("30-run", true, true)]);

        CollectionAssert.AreEqual(new[] { "30-run" }, result.Run.ToArray());
        CollectionAssert.AreEqual(
            new[]
            {
                new SkippedScript("10-plain", RunPartsSkipReason.NotExecutable),
                new SkippedScript("20-dir", RunPartsSkipReason.NotRegularFile),
            },
            result.Skipped.ToArray());
    }

    [TestMethod]
    public void IsValidName_AcceptsOnlyLettersDigitsUnderscoreAndDash()
    {
        Assert.IsTrue(RunPartsOrder.IsValidName("50-Foo_bar"));
        Assert.IsFalse(RunPartsOrder.IsValidName("50-foo.sh"));
        Assert.IsFalse(RunPartsOrder.IsValidName(".hidden"));
        Assert.IsFalse(RunPartsOrder.IsValidName("50 foo"));
        Assert.IsFalse(RunPartsOrder.IsValidName("50-fö"));
        Assert.IsFalse(RunPartsOrder.IsValidName(""));
    }

    [TestMethod]
    public void OrderDirectory_RealFiles_AppliesExecutableAndRegularFileRules()
    {
        using var tree = new TempElementTree();
        tree.AddScript("e", "install.d", "10-b");
        tree.AddScript("e", "install.d", "9-a");
        tree.AddScript("e", "install.d", "10-foo.sh");
        tree.AddScript("e", "install.d", "20-not-executable", executable: false);
        var phase = Path.Combine(tree.ElementsDir(), "e", "install.d");
        Directory.CreateDirectory(Path.Combine(phase, "30-directory"));
        File.CreateSymbolicLink(Path.Combine(phase, "40-dangling"), Path.Combine(phase, "nowhere"));
        File.CreateSymbolicLink(Path.Combine(phase, "50-link"), Path.Combine(phase, "10-b"));

        var result = RunPartsOrder.OrderDirectory(phase);

        CollectionAssert.AreEqual(new[] { "9-a", "10-b", "50-link" }, result.Run.ToArray());
        CollectionAssert.AreEqual(
            new[]
            {
                new SkippedScript("10-foo.sh", RunPartsSkipReason.InvalidName),
                new SkippedScript("20-not-executable", RunPartsSkipReason.NotExecutable),
                new SkippedScript("30-directory", RunPartsSkipReason.NotRegularFile),
                new SkippedScript("40-dangling", RunPartsSkipReason.NotRegularFile),
            },
            result.Skipped.ToArray());
    }

    [TestMethod]
    public void OrderDirectory_MissingDirectory_RunsNothing()
    {
        using var tree = new TempElementTree();

        var result = RunPartsOrder.OrderDirectory(Path.Combine(tree.Root, "nope"));

        Assert.IsEmpty(result.Run);
        Assert.IsEmpty(result.Skipped);
    }
}
