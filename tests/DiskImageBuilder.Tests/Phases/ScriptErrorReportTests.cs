using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class ScriptErrorReportTests
{
    [TestMethod]
    public void Find_ReportLineInTheTail_GivesItsCodeAndMessage()
    {
        var report = ScriptErrorReport.Find(["+ set -x", "DIB2301: modprobe: DIB_MODPROBE_BLACKLIST has 'a/b', not a module name.", "cleanup"]);

        Assert.IsNotNull(report);
        Assert.AreEqual("DIB2301", report.Code);
        Assert.AreEqual("modprobe: DIB_MODPROBE_BLACKLIST has 'a/b', not a module name.", report.Message);
    }

    [TestMethod]
    public void Find_TwoReportLines_TheLastOneWins()
    {
        var report = ScriptErrorReport.Find(["DIB2301: first", "DIB2302: second\r"]);

        Assert.AreEqual(new ScriptErrorReport("DIB2302", "second"), report);
    }

    [TestMethod]
    [DataRow("E: Unable to locate package nosuch")]
    [DataRow("  DIB2301: indented, so part of other output")]
    [DataRow("DIB3001: not the element band")]
    [DataRow("DIB2101: the engine's own code")]
    [DataRow("DIB2901: a warning code")]
    [DataRow("DIB2301:no space")]
    [DataRow("DIB230: too short")]
    public void Find_NoReportLine_GivesNull(string line)
    {
        Assert.IsNull(ScriptErrorReport.Find(["some output", line]));
    }

    [TestMethod]
    public void Find_EmptyTail_GivesNull()
    {
        Assert.IsNull(ScriptErrorReport.Find([]));
    }
}
