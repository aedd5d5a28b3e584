using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class PackageInstallsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static SquashedPackages Squash(
        TempElementTree tree,
        string[] elements,
        string arch = "amd64",
        Dictionary<string, string>? environment = null,
        string installType = "source") =>
        PackageInstalls.Squash(tree.Set(elements), arch, environment ?? NoEnvironment, installType);

    private static string[] Installed(SquashedPackages packages, string phase = "install.d") => [.. packages.For(phase).Install];

    private static string[] Removed(SquashedPackages packages, string phase = "install.d") => [.. packages.For(phase).Uninstall];

    [TestMethod]
    public void Parse_NullMapAndListValues_GiveOneEntryEach()
    {
        var entries = PackageInstalls.Parse(
            """
            libxml2:
            grub2:
              phase: pre-install.d
            kernel:
              - arch: amd64
              - arch: arm64
                build-only: true
            """,
            "/e/package-installs.yaml");

        CollectionAssert.AreEqual(new[] { "libxml2", "grub2", "kernel", "kernel" }, entries.Select(entry => entry.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 5, 6 }, entries.Select(entry => entry.Line).ToArray());
        Assert.AreEqual("install.d", entries[0].Phase);
        Assert.AreEqual("pre-install.d", entries[1].Phase);
        CollectionAssert.AreEqual(new[] { "arm64" }, entries[3].Arch.ToArray());
        Assert.IsTrue(entries[3].BuildOnly);
    }

    [TestMethod]
    public void Parse_EmptyFile_GivesNoEntries()
    {
        Assert.IsEmpty(PackageInstalls.Parse("# nothing yet\n", "/e/package-installs.yaml"));
    }

    [TestMethod]
    public void Parse_MalformedYaml_FailsWithFileAndLine()
    {
        var error = Assert.ThrowsExactly<DibException>(() => PackageInstalls.Parse(
            """
            a:
              phase: install.d
             b: [unclosed
            """,
            "/e/package-installs.yaml"));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual("/e/package-installs.yaml", error.File);
        Assert.AreEqual(3, error.Line);
    }

    [TestMethod]
    public void Parse_UnknownField_FailsWithFieldNameAndLine()
    {
        var error = Assert.ThrowsExactly<DibException>(() => PackageInstalls.Parse(
            """
            vim:
            curl:
              phase: install.d
              arhc: amd64
            """,
            "/e/package-installs.yaml"));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.AreEqual(4, error.Line);
        Assert.Contains("'arhc'", error.Message);
        Assert.Contains("'curl'", error.Message);
    }

    [TestMethod]
    public void Parse_ArchAndNotArchOnOneEntry_Fails()
    {
        var error = Assert.ThrowsExactly<DibException>(() => PackageInstalls.Parse(
            """
            dmidecode:
              arch: amd64
              not-arch: arm64
            """,
            "/e/package-installs.yaml"));

        Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code);
        Assert.Contains("'dmidecode'", error.Message);
    }

    [TestMethod]
    public void Parse_BadValues_FailWithTheValue()
    {
        string[] cases =
        [
            "a:\n  phase: finalise.d\n",
            "a:\n  installtype: binary\n",
            "a:\n  uninstall: maybe\n",
            "a:\n  when: JUST_A_NAME\n",
            "a: just-a-string\n",
            "- a\n- b\n",
        ];
        foreach (var text in cases)
        {
            var error = Assert.ThrowsExactly<DibException>(() => PackageInstalls.Parse(text, "/e/package-installs.yaml"), text);
            Assert.AreEqual(ErrorCodes.BadPackageInstalls, error.Code, text);
            Assert.IsGreaterThan(0, error.Line, text);
        }
    }

    [TestMethod]
    public void Parse_DibPythonVersion_IsAccepted()
    {
        var entries = PackageInstalls.Parse("python3-dev:\n  dib_python_version: 3\n", "/e/package-installs.yaml");

        Assert.AreEqual("3", Assert.ContainsSingle(entries).PythonVersion);
    }

    [TestMethod]
    public void Squash_Arch_KeepsOnlyListedArchitectures()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "grub-pc:\n  arch: i386, amd64\ngrub-efi-arm64:\n  arch: arm64\n");

        CollectionAssert.AreEqual(new[] { "grub-pc" }, Installed(Squash(tree, ["e"], arch: "amd64")));
        CollectionAssert.AreEqual(new[] { "grub-efi-arm64" }, Installed(Squash(tree, ["e"], arch: "aarch64")));
    }

    [TestMethod]
    public void Squash_NotArch_DropsListedArchitectures()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "dmidecode:\n  not-arch: ppc64el,arm64\n");

        CollectionAssert.AreEqual(new[] { "dmidecode" }, Installed(Squash(tree, ["e"], arch: "amd64")));
        Assert.IsEmpty(Installed(Squash(tree, ["e"], arch: "ppc64el")));
    }

    [TestMethod]
    public void Squash_WhenEqualsAndNotEquals_FollowTheEnvironment()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "package-a:\n  when: DIB_FEATURE = 1\npackage-b:\n  when: DIB_FEATURE!=1\n");

        CollectionAssert.AreEqual(new[] { "package-a" }, Installed(Squash(tree, ["e"], environment: new() { ["DIB_FEATURE"] = "1" })));
        CollectionAssert.AreEqual(new[] { "package-b" }, Installed(Squash(tree, ["e"], environment: new() { ["DIB_FEATURE"] = "0" })));
    }

    [TestMethod]
    public void Squash_WhenList_RequiresAllTests()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "both:\n  when:\n    - A=1\n    - B!=off\n");

        CollectionAssert.AreEqual(new[] { "both" }, Installed(Squash(tree, ["e"], environment: new() { ["A"] = "1", ["B"] = "on" })));
        Assert.IsEmpty(Installed(Squash(tree, ["e"], environment: new() { ["A"] = "1", ["B"] = "off" })));
        Assert.IsEmpty(Installed(Squash(tree, ["e"], environment: new() { ["A"] = "2", ["B"] = "on" })));
    }

    [TestMethod]
    public void Squash_WhenVariableUnset_FailsNamingVariableFileAndLine()
    {
        using var tree = new TempElementTree();
        var file = tree.AddFile("e", "package-installs.yaml", "curl:\nfeature-pkg:\n  when:\n    - A=1\n    - DIB_MISSING=yes\n");

        var error = Assert.ThrowsExactly<DibException>(() => Squash(tree, ["e"], environment: new() { ["A"] = "1" }));

        Assert.AreEqual(ErrorCodes.UnsetWhenVariable, error.Code);
        Assert.Contains("DIB_MISSING", error.Message);
        Assert.Contains("'e'", error.Message);
        Assert.AreEqual(file, error.File);
        Assert.AreEqual(5, error.Line);
    }

    [TestMethod]
    public void Squash_UninstallAndBuildOnly_FillTheRightLists()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "vim:\nnetworkmanager:\n  uninstall: true\nlibssl-dev:\n  build-only: True\nkept:\n  uninstall: false\n");

        var packages = Squash(tree, ["e"]);

        CollectionAssert.AreEqual(new[] { "vim", "libssl-dev", "kept" }, Installed(packages));
        CollectionAssert.AreEqual(new[] { "networkmanager", "libssl-dev" }, Removed(packages));
    }

    [TestMethod]
    public void Squash_Phase_PutsPackagesInThatPhase()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "gnupg:\n  phase: pre-install.d\ncurl:\nold:\n  phase: post-install.d\n  uninstall:\n");

        var packages = Squash(tree, ["e"]);

        CollectionAssert.AreEqual(new[] { "pre-install.d", "install.d", "post-install.d" }, packages.Phases.Select(phase => phase.Phase).ToArray());
        CollectionAssert.AreEqual(new[] { "gnupg" }, Installed(packages, "pre-install.d"));
        CollectionAssert.AreEqual(new[] { "curl" }, Installed(packages, "install.d"));
        Assert.IsEmpty(Installed(packages, "post-install.d"));
        CollectionAssert.AreEqual(new[] { "old" }, Removed(packages, "post-install.d"));
    }

    [TestMethod]
    public void Squash_InstallType_FollowsDefaultAndPerElementOverride()
    {
        using var tree = new TempElementTree();
        tree.AddFile("my-app", "package-installs.yaml", "app-from-source-deps:\n  installtype: source\napp-package:\n  installtype: package\n");

        CollectionAssert.AreEqual(new[] { "app-from-source-deps" }, Installed(Squash(tree, ["my-app"], installType: "source")));
        CollectionAssert.AreEqual(new[] { "app-package" }, Installed(Squash(tree, ["my-app"], installType: "package")));
        CollectionAssert.AreEqual(
            new[] { "app-package" },
            Installed(Squash(tree, ["my-app"], environment: new() { ["DIB_INSTALLTYPE_my_app"] = "package" }, installType: "source")));
    }

    [TestMethod]
    public void Squash_DibPythonVersion_KeepsOnlyTheBuildsPythonVersion()
    {
        using var tree = new TempElementTree();
        tree.AddFile("e", "package-installs.yaml", "python-dev:\n  dib_python_version: 2\npython3-dev:\n  dib_python_version: 3\n");

        CollectionAssert.AreEqual(new[] { "python3-dev" }, Installed(Squash(tree, ["e"])));
    }

    [TestMethod]
    public void Squash_SeveralElements_KeepsElementThenFileOrderWithoutRepeats()
    {
        using var tree = new TempElementTree();
        tree.AddFile("first", "package-installs.yaml", "curl:\nvim:\n");
        tree.AddFile("second", "package-installs.json", """{ "jq": null, "curl": {}, "less": { "phase": "install.d" } }""");

        var packages = Squash(tree, ["first", "second"]);

        CollectionAssert.AreEqual(new[] { "curl", "vim", "jq", "less" }, Installed(packages));
        CollectionAssert.AreEqual(new[] { "jq", "curl", "less", "vim" }, Installed(Squash(tree, ["second", "first"])));
    }

    [TestMethod]
    public void Squash_PkgMapOfTheDeclaringElement_TranslatesNames()
    {
        using var tree = new TempElementTree();
        tree.AddFile("web", "package-installs.yaml", "webserver:\nunwanted:\n");
        tree.AddFile("web", "pkg-map", """
            {
              "family": { "debian": { "webserver": "nginx-light python3-venv", "unwanted": "" } },
              "default": { "webserver": "nginx" }
            }
            """);
        tree.AddFile("other", "package-installs.yaml", "webserver:\n");

        var packages = Squash(tree, ["web", "other"], environment: new() { ["DISTRO_NAME"] = "debian" });

        CollectionAssert.AreEqual(new[] { "nginx-light", "python3-venv", "webserver" }, Installed(packages));
    }
    [TestMethod]
    public void Squash_PackageAskedForByTwoElements_NamesBothAsOwners()
    {
        using var tree = new TempElementTree();
        tree.AddFile("first", "package-installs.yaml", "shared-tool:\nonly-first:\n");
        tree.AddFile("second", "package-installs.yaml", "shared-tool:\nlate:\n  phase: post-install.d\n");

        var packages = Squash(tree, ["first", "second"]);

        CollectionAssert.AreEqual(new[] { "first", "second" }, packages.For("install.d").OwnersOf("shared-tool").ToArray());
        CollectionAssert.AreEqual(new[] { "first" }, packages.For("install.d").OwnersOf("only-first").ToArray());
        CollectionAssert.AreEqual(new[] { "second" }, packages.For("post-install.d").OwnersOf("late").ToArray());
        Assert.IsEmpty(packages.For("install.d").OwnersOf("late"));
    }

    [TestMethod]
    public void PackageListFiles_Owners_ListEachInstalledPackageWithItsElements()
    {
        using var tree = new TempElementTree();
        tree.AddFile("first", "package-installs.yaml", "tool:\ngone:\n  uninstall: true\n");
        tree.AddFile("second", "pkg-map", """{"family": {"debian": {"abstract": "real-a real-b"}}}""");
        tree.AddFile("second", "package-installs.yaml", "abstract:\ntool:\n");
        var hooks = Path.Combine(tree.Root, "hooks");

        PackageListFiles.Write(hooks, Squash(tree, ["first", "second"], environment: new() { ["DISTRO_NAME"] = "debian" }));

        CollectionAssert.AreEqual(new[] { "tool first second", "real-a second", "real-b second" },
            File.ReadAllLines(Path.Combine(hooks, "package-installs.d", "install.d.owners")));
        CollectionAssert.AreEqual(new[] { "tool", "real-a", "real-b" }, File.ReadAllLines(Path.Combine(hooks, "package-installs.d", "install.d.install")));
    }
}
