using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ElementResolverTests
{
    // The element of the build whose element-provides names the virtual name, as the resolver chose it.
    private static string? ProviderOf(ResolvedElementSet set, string virtualName) =>
        set.Elements.SingleOrDefault(e => e.Provides.Contains(virtualName))?.Name;

    private static string[] Names(ResolvedElementSet set) => [.. set.Elements.Select(element => element.Name)];

    private static ResolvedElementSet Resolve(TempElementTree tree, string[] requested, bool addBase = false) =>
        new ElementResolver(tree.SearchPath()).Resolve(requested, addBase);

    [TestMethod]
    public void Resolve_TransitiveDependencies_AreAllIncluded()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("app", deps: ["lib"]);
        tree.AddElement("lib", deps: ["core"]);
        tree.AddElement("core");
        tree.AddElement("unused");

        var set = Resolve(tree, ["app", "os"]);

        CollectionAssert.AreEquivalent(new[] { "app", "lib", "core", "os" }, Names(set));
    }

    [TestMethod]
    public void Resolve_Dependencies_ComeBeforeDependents()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", deps: ["dpkg"], provides: ["operating-system"]);
        tree.AddElement("dpkg");
        tree.AddElement("app", deps: ["zlib", "lib"]);
        tree.AddElement("lib", deps: ["core"]);
        tree.AddElement("zlib", deps: ["core"]);
        tree.AddElement("core");

        var set = Resolve(tree, ["app", "os"]);

        // Post-order from the roots in name order ("app" before "os"), dependencies by name.
        CollectionAssert.AreEqual(new[] { "core", "lib", "zlib", "app", "dpkg", "os" }, Names(set));
    }

    [TestMethod]
    public void Resolve_SameInputTwiceAndPermuted_GivesTheSameOrder()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", deps: ["pkg-tools", "core"], provides: ["operating-system"]);
        tree.AddElement("pkg-tools", deps: ["core"]);
        tree.AddElement("core");
        tree.AddElement("vmish", deps: ["boot", "core"]);
        tree.AddElement("boot", deps: ["pkg-tools"]);
        tree.AddElement("user", deps: ["core"]);
        var resolver = new ElementResolver(tree.SearchPath());

        var first = Names(resolver.Resolve(["vmish", "user", "os"], addBase: false));
        var again = Names(resolver.Resolve(["vmish", "user", "os"], addBase: false));
        var permuted = Names(resolver.Resolve(["os", "user", "vmish"], addBase: false));
        var fresh = Names(new ElementResolver(tree.SearchPath()).Resolve(["user", "os", "vmish", "user"], addBase: false));

        CollectionAssert.AreEqual(first, again);
        CollectionAssert.AreEqual(first, permuted);
        CollectionAssert.AreEqual(first, fresh);
        CollectionAssert.AreEqual(new[] { "core", "pkg-tools", "os", "user", "boot", "vmish" }, first);
    }

    [TestMethod]
    public void Resolve_DependencyCycle_IsToleratedAndOrderedByNameWithinTheCycle()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("c", deps: ["a"]);
        tree.AddElement("a", deps: ["b"]);
        tree.AddElement("b", deps: ["c", "leaf"]);
        tree.AddElement("leaf");
        tree.AddElement("top", deps: ["b"]);

        var fromTop = Names(Resolve(tree, ["top", "os"]));
        var fromC = Names(Resolve(tree, ["c", "os"]));

        // The cycle a -> b -> c -> a comes out as one block in name order, after what it depends on.
        CollectionAssert.AreEqual(new[] { "os", "leaf", "a", "b", "c", "top" }, fromTop);
        CollectionAssert.AreEqual(new[] { "leaf", "a", "b", "c", "os" }, fromC);
    }

    [TestMethod]
    public void Resolve_ElementDependingOnItself_IsTolerated()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", deps: ["os"], provides: ["operating-system"]);

        CollectionAssert.AreEqual(new[] { "os" }, Names(Resolve(tree, ["os"])));
    }

    [TestMethod]
    public void Resolve_DependencyOnVirtualName_IsSatisfiedByProvider()
    {
        using var tree = new TempElementTree();
        tree.AddElement("debian-minimal", provides: ["operating-system"]);
        tree.AddElement("app", deps: ["operating-system"]);

        var set = Resolve(tree, ["app", "debian-minimal"]);

        CollectionAssert.AreEqual(new[] { "debian-minimal", "app" }, Names(set));
        Assert.AreEqual("debian-minimal", ProviderOf(set, "operating-system"));
        Assert.IsFalse(set.Elements.Any(e => e.Provides.Contains("block-device")), "nothing provides block-device");
        Assert.AreEqual("app", set.Find("app")?.Name);
        Assert.IsNull(set.Find("operating-system"));
    }

    [TestMethod]
    public void Resolve_DependencyThatExistsOnDiskButIsProvided_UsesTheProviderNotTheDiskElement()
    {
        using var tree = new TempElementTree();
        // "bdev" sorts before "zz-os", so a plain walk would meet the disk element before its provider.
        tree.AddElement("app", deps: ["bdev"]);
        tree.AddElement("bdev", deps: ["should-not-be-pulled-in"]);
        tree.AddElement("zz-os", provides: ["operating-system", "bdev"]);

        var set = Resolve(tree, ["app", "zz-os"]);

        CollectionAssert.AreEqual(new[] { "zz-os", "app" }, Names(set));
        Assert.AreEqual("zz-os", ProviderOf(set, "bdev"));
    }

    [TestMethod]
    public void Resolve_MissingDependency_FailsNamingItTheDependentAndTheSearchDirectories()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        var app = tree.AddElement("app", deps: ["core", "nosuch"]);
        tree.AddElement("core");

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["app", "os"]));

        Assert.AreEqual(ErrorCodes.ElementNotFound, error.Code);
        Assert.Contains("'nosuch'", error.Message);
        Assert.Contains("'app'", error.Message);
        Assert.Contains(tree.ElementsDir(), error.Message);
        Assert.AreEqual(Path.Combine(app, Element.DependenciesFile), error.File);
        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    public void Resolve_MissingRequestedElement_FailsNamingIt()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);

        var error = Assert.ThrowsExactly<DibException>(() =>
            new ElementResolver(new ElementSearchPath([tree.ElementsDir(), Path.Combine(tree.Root, "nowhere")]))
                .Resolve(["os", "nosuch"], addBase: false));

        Assert.AreEqual(ErrorCodes.ElementNotFound, error.Code);
        Assert.Contains("'nosuch' (requested)", error.Message);
        Assert.Contains(Path.Combine(tree.Root, "nowhere") + " (does not exist)", error.Message);
    }

    [TestMethod]
    public void Resolve_TwoElementsProvideSameName_FailsWithBothNames()
    {
        using var tree = new TempElementTree();
        tree.AddElement("debian-minimal", provides: ["operating-system"]);
        tree.AddElement("ubuntu-minimal", provides: ["operating-system"]);
        tree.AddElement("app", deps: ["ubuntu-minimal"]);

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["debian-minimal", "app"]));

        Assert.AreEqual(ErrorCodes.DuplicateProvider, error.Code);
        Assert.Contains("'operating-system'", error.Message);
        Assert.Contains("'debian-minimal'", error.Message);
        Assert.Contains("'ubuntu-minimal' (required by 'app')", error.Message);
    }

    /// <summary>The built-in distro elements: Ubuntu and Debian in one image are two operating systems.</summary>
    [TestMethod]
    [DataRow("ubuntu", "debian")]
    [DataRow("ubuntu", "debian-minimal")]
    [DataRow("ubuntu-minimal", "debian-minimal")]
    public void Resolve_BuiltInUbuntuWithDebian_FailsWithDIB2003(string ubuntu, string debian)
    {
        var builtIn = new ElementSearchPath([SdkElementsFolder.Path]);

        var error = Assert.ThrowsExactly<DibException>(() => new ElementResolver(builtIn).Resolve([ubuntu, debian, "vm"]));

        Assert.AreEqual(ErrorCodes.DuplicateProvider, error.Code);
        Assert.Contains("'operating-system'", error.Message);
        Assert.Contains($"'{ubuntu}'", error.Message);
    }


    [TestMethod]
    public void Resolve_RequestedElementThatAnotherElementProvides_Fails()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system", "dhcp"]);
        tree.AddElement("dhcp");

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["dhcp", "os"]));

        Assert.AreEqual(ErrorCodes.RequestedElementIsProvided, error.Code);
        Assert.Contains("'dhcp'", error.Message);
        Assert.Contains("'os'", error.Message);
    }

    [TestMethod]
    public void Resolve_RequestedVirtualNameThatAnElementProvides_Fails()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["operating-system", "os"]));

        Assert.AreEqual(ErrorCodes.RequestedElementIsProvided, error.Code);
        Assert.Contains("'operating-system'", error.Message);
        Assert.Contains("'os'", error.Message);
    }

    [TestMethod]
    public void Resolve_NoOperatingSystemElement_Fails()
    {
        using var tree = new TempElementTree();
        tree.AddElement("app", deps: ["lib"]);
        tree.AddElement("lib");

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["app"]));

        Assert.AreEqual(ErrorCodes.NoOperatingSystem, error.Code);
        Assert.Contains("operating-system", error.Message);
        Assert.Contains("debian-minimal", error.Message);
    }

    [TestMethod]
    public void Resolve_DependencyOnOperatingSystemWithoutProvider_FailsWithNoOperatingSystem()
    {
        using var tree = new TempElementTree();
        tree.AddElement("app", deps: ["operating-system"]);

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["app"]));

        Assert.AreEqual(ErrorCodes.NoOperatingSystem, error.Code);
    }

    [TestMethod]
    public void Resolve_AddBase_AddsTheBaseElementAndItsDependencies()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("base", deps: ["install-types"]);
        tree.AddElement("install-types");

        var set = new ElementResolver(tree.SearchPath()).Resolve(["os"]);

        CollectionAssert.AreEqual(new[] { "install-types", "base", "os" }, Names(set));
    }

    [TestMethod]
    public void Resolve_AddBaseFalse_LeavesBaseOut()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("base");

        var set = new ElementResolver(tree.SearchPath()).Resolve(["os"], addBase: false);

        CollectionAssert.AreEqual(new[] { "os" }, Names(set));
    }

    [TestMethod]
    public void Resolve_AddBaseWithoutBaseElement_FailsNamingBaseAndWhyItWasAdded()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);

        var error = Assert.ThrowsExactly<DibException>(() => new ElementResolver(tree.SearchPath()).Resolve(["os"]));

        Assert.AreEqual(ErrorCodes.ElementNotFound, error.Code);
        Assert.Contains("'base' (added to every build by default)", error.Message);
    }

    [TestMethod]
    public void Resolve_VmWithoutBlockDeviceProvider_AddsBlockDeviceMbr()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("vm", deps: ["block-device"]);
        tree.AddElement("block-device-mbr", provides: ["block-device"]);
        tree.AddElement("block-device-efi", provides: ["block-device"]);

        var set = Resolve(tree, ["os", "vm"]);

        CollectionAssert.AreEqual(new[] { "block-device-mbr", "os", "vm" }, Names(set));
        Assert.AreEqual("block-device-mbr", ProviderOf(set, "block-device"));
    }

    [TestMethod]
    public void Resolve_VmOnArm64_GetsTheArchitecturesDefaultLayoutBlockDeviceEfi()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("vm", deps: ["block-device"]);
        tree.AddElement("block-device-mbr", provides: ["block-device"]);
        tree.AddElement("block-device-efi", provides: ["block-device"]);

        var set = new ElementResolver(tree.SearchPath()).Resolve(["os", "vm"], addBase: false,
            defaultLayout: DiskImageBuilder.Host.ArchitectureProfile.Arm64.DefaultLayout);

        Assert.AreEqual("block-device-efi", ProviderOf(set, "block-device"));
        CollectionAssert.DoesNotContain(Names(set), "block-device-mbr");
    }

    [TestMethod]
    public void Resolve_VmPulledInByDependency_StillGetsBlockDeviceMbr()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("cloud-image", deps: ["vm"]);
        tree.AddElement("vm");
        tree.AddElement("block-device-mbr", provides: ["block-device"]);

        var set = Resolve(tree, ["os", "cloud-image"]);

        Assert.AreEqual("block-device-mbr", ProviderOf(set, "block-device"));
    }

    [TestMethod]
    public void Resolve_VmWithBlockDeviceProvider_DoesNotAddBlockDeviceMbr()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("vm", deps: ["block-device"]);
        tree.AddElement("block-device-mbr", provides: ["block-device"]);
        tree.AddElement("block-device-efi", provides: ["block-device"]);

        var set = Resolve(tree, ["os", "vm", "block-device-efi"]);

        CollectionAssert.AreEqual(new[] { "block-device-efi", "os", "vm" }, Names(set));
    }

    [TestMethod]
    public void Resolve_NoVm_DoesNotAddBlockDeviceMbr()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"]);
        tree.AddElement("block-device-mbr", provides: ["block-device"]);

        var set = Resolve(tree, ["os"]);

        Assert.IsNull(set.Find("block-device-mbr"));
    }

    [TestMethod]
    public void Resolve_ShadowedElement_UsesTheFirstDirectoryAndReportsTheOverride()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", provides: ["operating-system"], directory: "builtin");
        var user = tree.AddElement("os", provides: ["operating-system"], deps: ["extra"], directory: "user");
        var builtin = Path.Combine(tree.ElementsDir("builtin"), "os");
        tree.AddElement("extra", directory: "builtin");
        tree.AddElement("unused", directory: "user");
        tree.AddElement("unused", directory: "builtin");

        var set = new ElementResolver(tree.SearchPath("user", "builtin")).Resolve(["os"], addBase: false);

        Assert.AreEqual(user, set.Find("os")?.Path);
        var warning = Assert.ContainsSingle(set.Warnings);
        Assert.Contains("'os'", warning);
        Assert.Contains(user, warning);
        Assert.Contains(builtin, warning);
    }

    [TestMethod]
    public void Resolve_UnreadableDependency_FailsWithElementUnreadable()
    {
        using var tree = new TempElementTree();
        tree.AddElement("os", deps: ["broken"], provides: ["operating-system"]);
        var broken = tree.AddElement("broken");
        Directory.CreateDirectory(Path.Combine(broken, Element.ProvidesFile));

        var error = Assert.ThrowsExactly<DibException>(() => Resolve(tree, ["os"]));

        Assert.AreEqual(ErrorCodes.ElementUnreadable, error.Code);
        Assert.Contains("'broken'", error.Message);
    }
}
