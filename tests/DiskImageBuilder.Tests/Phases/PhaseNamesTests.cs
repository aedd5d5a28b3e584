using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Tests.Phases;

[TestClass]
public sealed class PhaseNamesTests
{
    [TestMethod]
    public void All_ListsTheTenPhasesInRunOrderWithWhereTheyRun()
    {
        var expected = new[]
        {
            new PhaseInfo("root.d", false),
            new PhaseInfo("extra-data.d", false),
            new PhaseInfo("pre-install.d", true),
            new PhaseInfo("install.d", true),
            new PhaseInfo("post-install.d", true),
            new PhaseInfo("post-root.d", false),
            new PhaseInfo("block-device.d", false),
            new PhaseInfo("pre-finalise.d", false),
            new PhaseInfo("finalise.d", true),
            new PhaseInfo("cleanup.d", false),
        };

        CollectionAssert.AreEqual(expected, PhaseNames.All.ToArray());
    }

    [TestMethod]
    public void Find_KnownPhase_ReturnsIt_AndUnknownReturnsNull()
    {
        Assert.AreEqual(new PhaseInfo(PhaseNames.Finalise, true), PhaseNames.Find("finalise.d"));
        Assert.IsNull(PhaseNames.Find("environment.d"));
        Assert.IsNull(PhaseNames.Find("install"));
    }
}
