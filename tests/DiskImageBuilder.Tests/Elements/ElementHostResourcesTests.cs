using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Tests.Elements;

[TestClass]
public sealed class ElementHostResourcesTests
{
    private static Element Load(TempElementTree tree, string name) => Element.Load(name, Path.Combine(tree.ElementsDir(), name));

    private static DibException Refused(string phase, string script)
    {
        using var tree = new TempElementTree();
        tree.AddFile("needs-host", Path.Combine(phase, "50-script"), script);
        return Assert.ThrowsExactly<DibException>(() => ElementHostResources.Require([Load(tree, "needs-host")]));
    }

    [TestMethod]
    public void LoopMount_IsDIB2009NamingElementScriptLineAndWhatToDo()
    {
        var error = Refused("cleanup.d", "#!/bin/bash\nset -e\nmkdir -p \"$M\"\nsudo mount -o loop \"$TMP_BUILD_DIR/efiboot.img\" \"$M\"\n");
        Assert.AreEqual("DIB2009", error.Code);
        StringAssert.Contains(error.Message, "Element 'needs-host'");
        StringAssert.Contains(error.Message, "cleanup.d/50-script line 4");
        StringAssert.Contains(error.Message, "loop device");
        StringAssert.Contains(error.Message, "mkfs.fat with mcopy");
        Assert.AreEqual(4, error.Line);
        StringAssert.EndsWith(error.File, Path.Combine("cleanup.d", "50-script"));
    }

    [TestMethod]
    [DataRow("LOOP=$(losetup -f --show \"$IMG\")")]
    [DataRow("sudo -E kpartx -av $IMG")]
    [DataRow("dmsetup remove_all")]
    [DataRow("partprobe \"$IMAGE_BLOCK_DEVICE\"")]
    public void DeviceTools_AreDIB2009(string line)
    {
        var error = Refused("block-device.d", $"#!/bin/bash\n{line}\n");
        Assert.AreEqual("DIB2009", error.Code);
        StringAssert.Contains(error.Message, "block-device.d/50-script line 2");
        StringAssert.Contains(error.Message, "block-device YAML");
    }

    [TestMethod]
    public void GrubInstallOntoImageBlockDevice_AcrossLines_IsDIB2009AtTheLineNamingTheDisk()
    {
        var error = Refused("finalise.d", "#!/bin/bash\nBOOT_DEV=$IMAGE_BLOCK_DEVICE\nGRUBNAME=grub-install\n$GRUBNAME --target=i386-pc $BOOT_DEV\n");
        Assert.AreEqual("DIB2009", error.Code);
        StringAssert.Contains(error.Message, "finalise.d/50-script line 2");
        StringAssert.Contains(error.Message, "bootloader element");
    }

    [TestMethod]
    [DataRow("# losetup is not used here\nexit 0")]
    [DataRow("echo mounting loop-free\nmount --bind \"$CACHE\" \"$TARGET_ROOT/var/cache\"")]
    [DataRow("install-packages grub-pc-bin\necho \"IMAGE_BLOCK_DEVICE=$IMAGE_BLOCK_DEVICE\"")]
    [DataRow("dpkg -L kpartx-tools-doc > /dev/null || true")]
    public void ScriptsThatNeedNoSuchResource_Pass(string body)
    {
        using var tree = new TempElementTree();
        tree.AddFile("fine", Path.Combine("install.d", "50-script"), "#!/bin/bash\n" + body + "\n");
        ElementHostResources.Require([Load(tree, "fine")]);
    }

    [TestMethod]
    public void StaticFilesAndReadmes_AreNotRead()
    {
        using var tree = new TempElementTree();
        tree.AddFile("runtime", Path.Combine("static", "usr", "local", "sbin", "grow"), "#!/bin/sh\npartprobe\n");
        tree.AddFile("runtime", "README.md", "Runs `losetup` at boot.\n");
        ElementHostResources.Require([Load(tree, "runtime")]);
    }

    [TestMethod]
    public void EveryBuiltInElement_Passes()
    {
        var builtIn = SdkElementsFolder.Path;
        var elements = Directory.GetDirectories(builtIn).Select(d => Element.Load(Path.GetFileName(d), d)).ToList();
        Assert.IsGreaterThan(50, elements.Count);
        ElementHostResources.Require(elements, builtIn);
    }

    /// <summary>cloud-image-root's read-only loop mounts are the SDK's own, reviewed use: the same script elsewhere is refused.</summary>
    [TestMethod]
    public void LoopMount_OfTheSdksCloudImageRoot_IsRefusedOutsideTheSdk()
    {
        var path = Path.Combine(SdkElementsFolder.Path, "cloud-image-root");
        ElementHostResources.Require([Element.Load("cloud-image-root", path)], SdkElementsFolder.Path);
        using var tree = new TempElementTree();
        var copy = Path.Combine(tree.ElementsDir(), "cloud-image-root");
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            tree.AddFile("cloud-image-root", Path.GetRelativePath(path, file), File.ReadAllText(file));
        var error = Assert.ThrowsExactly<DibException>(() => ElementHostResources.Require([Element.Load("cloud-image-root", copy)], SdkElementsFolder.Path));
        StringAssert.Contains(error.Message, "loop device");
    }

    /// <summary>diskimage-builder's own elements, unmodified: the ones that attach or install onto devices are refused up front.</summary>
    [TestMethod]
    [DataRow("iso", "cleanup.d/100-build-iso", "loop device")]
    [DataRow("bootloader", "finalise.d/50-bootloader", "grub-install")]
    [DataRow("ramdisk", "post-install.d/99-build-ramdisk line 11", "$_LIB/common-defaults")]
    [DataRow("yum-minimal", "root.d/08-yum-chroot line 26", "$_LIB/common-functions")]
    [DataRow("ramdisk-base", "extra-data.d/01-inject-ramdisk-build-files line 13", "reads diskimage-builder's build library ($_LIB/$file)")]
    public void DiskimageBuilderElementsThatNeedDevices_AreDIB2009(string name, string script, string reason)
    {
        var path = Path.Combine(DiskimageBuilderPackage.Tree, "elements", name);
        var error = Assert.ThrowsExactly<DibException>(() => ElementHostResources.Require([Element.Load(name, path)]));
        Assert.AreEqual("DIB2009", error.Code);
        StringAssert.Contains(error.Message, $"Element '{name}'");
        StringAssert.Contains(error.Message, script);
        StringAssert.Contains(error.Message, reason);
    }

    /// <summary>diskimage-builder's elements that source only the part of its library the SDK gives ($_LIB/img-functions).</summary>
    [TestMethod]
    [DataRow("cleanup-kernel-initrd")]
    [DataRow("baremetal")]
    [DataRow("uboot")]
    public void DiskimageBuilderElementsUsingImgFunctions_Pass(string name)
    {
        var path = Path.Combine(DiskimageBuilderPackage.Tree, "elements", name);
        StringAssert.Contains(string.Concat(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(File.ReadAllText)),
            "_LIB/img-functions", "the element does source the library");
        ElementHostResources.Require([Element.Load(name, path)]);
    }

    [TestMethod]
    [DataRow("source $_LIB/die", "$_LIB/die")]
    [DataRow("  . \"${_LIB}/common-functions\"", "$_LIB/common-functions")]
    [DataRow("cp $_LIB/common-defaults $TMP_MOUNT_PATH/tmp", "reads diskimage-builder's build library ($_LIB/common-defaults)")]
    [DataRow("for f in img-defaults; do cp \"$_LIB/$f\" /tmp; done", "($_LIB/$f)")]
    public void SourcingALibraryFileTheSdkDoesNotGive_IsDIB2009(string line, string named)
    {
        var error = Refused("root.d", $"#!/bin/bash\nset -eu\n{line}\n");
        Assert.AreEqual("DIB2009", error.Code);
        StringAssert.Contains(error.Message, "root.d/50-script line 3");
        StringAssert.Contains(error.Message, named);
        StringAssert.Contains(error.Message, "img-functions only");
    }

    /// <summary>
    /// Of all of diskimage-builder's elements, exactly these are refused up front (docs/dib-compatibility.md lists
    /// them with the reason); every other one gets past the check.
    /// </summary>
    [TestMethod]
    public void DiskimageBuilderElements_RefusedUpFront_AreTheDocumentedOnes()
    {
        var refused = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetDirectories(Path.Combine(DiskimageBuilderPackage.Tree, "elements")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith("__", StringComparison.Ordinal))
                continue;
            try
            {
                ElementHostResources.Require([Element.Load(name, path)]);
            }
            catch (DibException error) when (error.Code == "DIB2009")
            {
                refused[name] = error.Message;
            }
        }
        CollectionAssert.AreEqual(RefusedDiskimageBuilderElements, refused.Keys.ToArray(), string.Join('\n', refused.Select(r => $"{r.Key}: {r.Value}")));
    }

    private static readonly string[] RefusedDiskimageBuilderElements =
        ["bootloader", "dracut-ramdisk", "iso", "opensuse", "ramdisk", "ramdisk-base", "rax-nova-agent", "yum-minimal", "zypper-minimal"];

}
