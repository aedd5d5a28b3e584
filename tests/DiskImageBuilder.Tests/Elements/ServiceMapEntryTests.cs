using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ServiceMapEntryTests
{
    private static ServiceMapEntry Entry(params (string Key, string Name)[] names) =>
        new("nova-api", names.ToDictionary(n => n.Key, n => n.Name), "/e/svc-map", 1);

    [TestMethod]
    public void Resolve_DistroBeatsFamilyBeatsDefault()
    {
        var entry = Entry(("default", "openstack-nova-api"), ("debian", "nova-api-family"), ("ubuntu", "nova-api-ubuntu"));

        Assert.AreEqual("nova-api-ubuntu", entry.Resolve("ubuntu"));
        Assert.AreEqual("nova-api-family", entry.Resolve("debian"));
        Assert.AreEqual("openstack-nova-api", entry.Resolve("fedora"));
        Assert.AreEqual("openstack-nova-api", entry.Resolve(null));
    }

    [TestMethod]
    public void Resolve_FamilyOfTheDistro_AppliesWhenTheDistroIsNotListed()
    {
        var entry = Entry(("redhat", "openstack-nova-api"), ("default", "nova-api"));

        Assert.AreEqual("openstack-nova-api", entry.Resolve("centos"));
        Assert.AreEqual("openstack-nova-api", entry.Resolve("rocky"));
        Assert.AreEqual("nova-api", entry.Resolve("debian"));
    }

    [TestMethod]
    public void Resolve_NothingApplies_GivesTheServiceNameItself()
    {
        Assert.AreEqual("nova-api", Entry(("ubuntu", "nova-api-ubuntu")).Resolve("debian"));
        Assert.AreEqual("nova-api", Entry(("ubuntu", "nova-api-ubuntu")).Resolve(null));
    }
}
