using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class ScriptReportedErrorTests
{
    [TestMethod]
    public void Find_LastCodedLineInTheElementBand_Wins()
    {
        var found = ScriptReportedError.Find(["+ set -x", "DIB2350: first", "some output", "DIB2351: cloud-init-growpart: DIB_X='y' is bad", "exit"]);
        Assert.AreEqual(new ScriptReportedError("DIB2351", "cloud-init-growpart: DIB_X='y' is bad"), found);
    }

    [TestMethod]
    public void Find_TheTreeLinkRefusalOfAHostSideScript_IsDib5050()
    {
        var found = ScriptReportedError.Find(["Unpacking stage3", "DIB5050: The stage3 archive's /etc is a symbolic link"]);
        Assert.AreEqual(new ScriptReportedError("DIB5050", "The stage3 archive's /etc is a symbolic link"), found);
    }

    [TestMethod]
    public void Find_CodesOutsideTheElementBandOrWithoutMessage_AreIgnored()
    {
        Assert.IsNull(ScriptReportedError.Find(["DIB2101: pretending the script failed", "DIB1001: not an element code", "DIB2901: warning band",
            "DIB2350:", "echo DIB2350: quoted inside a line", "DIB5001: another host code", "DIB5051: not the link code"]));
        Assert.IsNull(ScriptReportedError.Find([]));
    }
}
