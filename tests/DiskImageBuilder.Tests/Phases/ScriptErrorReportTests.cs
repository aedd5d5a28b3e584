using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class ScriptErrorReportTests
{
    private static readonly PhaseScript Script = new("08-debootstrap", "debootstrap", "/elements/debootstrap/root.d/08-debootstrap");

    private string _dir = null!;

    [TestInitialize]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("dib-script-error-").FullName;

    [TestCleanup]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private string Report(string text)
    {
        var path = Path.Combine(_dir, "script-error");
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void Read_CodeOfTheElementRange_GivesThatCodeWithElementAndScript()
    {
        var error = ScriptErrorReport.Read(Report("DIB2401: Ubuntu release 'nobel' is unknown.\nSet DistroRelease.\n"), Script, "root.d");

        Assert.IsNotNull(error);
        Assert.AreEqual("DIB2401", error.Code);
        StringAssert.StartsWith(error.Message, "Ubuntu release 'nobel' is unknown.\nSet DistroRelease.");
        StringAssert.EndsWith(error.Message, "(element 'debootstrap', root.d/08-debootstrap)");
        Assert.AreEqual(Script.FullPath, error.File);
    }

    [TestMethod]
    [DataRow("DIB5002: not root")]
    [DataRow("DIB2101: a script failed")]
    [DataRow("DIB2001: element not found")]
    [DataRow("DIB2901: a warning")]
    [DataRow("the mirror did not answer")]
    [DataRow("DIB2401 without a colon")]
    [DataRow("")]
    public void Read_NoCodeOfTheElementRange_GivesNull(string text) =>
        Assert.IsNull(ScriptErrorReport.Read(Report(text), Script, "root.d"));

    [TestMethod]
    public void Read_NoReport_GivesNull_AndResetRemovesAnOldOne()
    {
        var path = Report("DIB2402: old");
        ScriptErrorReport.Reset(path);
        Assert.IsFalse(File.Exists(path));
        Assert.IsNull(ScriptErrorReport.Read(path, Script, "root.d"));
        ScriptErrorReport.Reset(path);
    }

    [TestMethod]
    public void Environment_ScriptsOutsideTheChrootGetTheReportFile_ChrootScriptsDoNot()
    {
        var context = new BuildContext
        {
            TreeDir = "/w/tree", HooksDir = "/w/hooks", BuildDir = "/w", ImageCacheDir = "/c", ImageName = "x",
            Arch = "amd64", Elements = ["debootstrap"], ElementsPath = "",
        };
        Assert.AreEqual("/w/script-error", PhaseEnvironment.For(new PhaseInfo("root.d", false), context)[ScriptErrorReport.Variable]);
        Assert.IsFalse(PhaseEnvironment.For(new PhaseInfo("install.d", true), context).ContainsKey(ScriptErrorReport.Variable));
    }
}
