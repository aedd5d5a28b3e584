using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Tests.Elements;
using DiskImageBuilder.Tests.Outputs;

namespace DiskImageBuilder.Tests.Build;

[TestClass]
public sealed class ImageBuildPlanTests
{
    internal static ImageBuildPlan Create(TempElementTree tree, Func<ImageSettings, ImageSettings>? change = null, string[]? moreElements = null,
        RecordingBuildLog? log = null)
    {
        var os = tree.AddElement("my-os", provides: ["operating-system", "kernel"]);
        var layout = tree.AddElement("my-layout");
        File.WriteAllText(Path.Combine(layout, "block-device-default.yaml"), """
            - local_loop:
                name: image0
            - partitioning:
                base: image0
                label: mbr
                partitions:
                  - name: root
                    flags: [ boot, primary ]
                    size: 100%
                    mkfs:
                      type: ext4
                      mount:
                        mount_point: /
                        fstab:
                          options: "defaults"
            """);
        var settings = new ImageSettings
        {
            ProjectDirectory = tree.Root,
            OutputDirectory = Path.Combine(tree.Root, "bin"),
            ImageName = "img",
            TargetArch = "amd64",
        };
        return ImageBuildPlan.Create(change?.Invoke(settings) ?? settings,
            [Element.Load("my-os", os), Element.Load("my-layout", layout), .. (moreElements ?? []).Select(e => Element.Load(e, tree.AddElement(e)))],
            new WorkFolder(Path.Combine(tree.Root, "obj", "dib"), "img"), log ?? new RecordingBuildLog(), blockDeviceVariable: "");
    }

    [TestMethod]
    public void Create_Defaults_OneQcow2FromTheDiskWithItsSha256()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree);
        var output = plan.Outputs.Single();
        Assert.AreEqual("qcow2", output.Format.Name);
        Assert.AreEqual(Path.Combine(tree.Root, "bin", "img.qcow2"), output.Path);
        Assert.AreEqual(plan.Work.RawDisk, output.Source);
        CollectionAssert.AreEqual(new[] { output.Path + ".sha256" }, output.ChecksumFiles.ToList());
        Assert.IsTrue(plan.NeedsDisk);
        StringAssert.EndsWith(plan.LayoutSource.SourceName, "block-device-default.yaml");
    }

    [TestMethod]
    public void BlockDeviceEnvironment_DiskExistsFromTheFinaliseStageOn()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree);
        foreach (var phase in new[] { "root.d", "install.d", "post-root.d", "block-device.d" })
            Assert.IsFalse(plan.BlockDeviceEnvironment(phase).Any(v => v.Key == "IMAGE_BLOCK_DEVICE"), phase);
        foreach (var phase in new[] { "pre-finalise.d", "finalise.d", "cleanup.d" })
            Assert.AreEqual(plan.Work.RawDisk, plan.BlockDeviceEnvironment(phase).Single(v => v.Key == "IMAGE_BLOCK_DEVICE").Value, phase);
        Assert.AreEqual("cloudimg-rootfs", plan.BlockDeviceEnvironment("root.d").Single(v => v.Key == "DIB_ROOT_LABEL").Value);
    }

    [TestMethod]
    public void BlockDeviceEnvironment_TreeFormatsOnly_NoDiskAtAll()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "tar" });
        Assert.IsFalse(plan.NeedsDisk);
        Assert.IsFalse(plan.BlockDeviceEnvironment("cleanup.d").Any(v => v.Key == "IMAGE_BLOCK_DEVICE"));
    }

    [TestMethod]
    public void Create_NoFinalImageElement_DropsTheDiskFormatsAndKeepsThoseMadeFromTheTree()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "qcow2;tar;raw" }, ["no-final-image"]);
        CollectionAssert.AreEqual(new[] { "tar" }, plan.Outputs.Select(o => o.Format.Name).ToList());
        Assert.IsFalse(plan.NeedsDisk);
    }

    [TestMethod]
    public void Create_BaremetalElement_AddsTheKernelAndInitrdOutputsBesideTheDisk()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "qcow2" }, ["baremetal"]);

        CollectionAssert.AreEqual(new[] { "qcow2", "kernel", "initrd" }, plan.Outputs.Select(o => o.Format.Name).ToList());
        StringAssert.EndsWith(plan.Outputs[1].Path, ".vmlinuz");
        StringAssert.EndsWith(plan.Outputs[2].Path, ".initrd");
        StringAssert.EndsWith(plan.OutputOptions().BootFileSelector, "select-boot-kernel-initrd/bin/select-boot-kernel-initrd");
    }

    [TestMethod]
    public void Create_RamdiskElementWithoutVm_WritesKernelAndInitramfsNamedAsDiskimageBuilderDoes_AndNoDisk()
    {
        using var tree = new TempElementTree();
        var log = new RecordingBuildLog();
        var plan = ImageBuildPlanWithLog(tree, "qcow2;tar", ["ramdisk"], log);

        CollectionAssert.AreEqual(new[] { "tar", "kernel", "initramfs" }, plan.Outputs.Select(o => o.Format.Name).ToList());
        CollectionAssert.AreEqual(new[] { "img.tar", "img.kernel", "img.initramfs" }, plan.Outputs.Select(o => Path.GetFileName(o.Path)).ToList());
        Assert.IsFalse(plan.NeedsDisk, "a disk without a bootloader is not written next to a ramdisk");
        Assert.IsTrue(log.Lines.Any(m => m.Contains("ramdisk: the image runs from RAM; not writing qcow2", StringComparison.Ordinal)),
            string.Join("\n", log.Lines));
    }

    [TestMethod]
    public void Create_RamdiskElementWithVm_KeepsTheDiskAsWell()
    {
        using var tree = new TempElementTree();
        var plan = ImageBuildPlanWithLog(tree, "qcow2", ["ramdisk", "vm"], new RecordingBuildLog());

        CollectionAssert.AreEqual(new[] { "qcow2", "kernel", "initramfs" }, plan.Outputs.Select(o => o.Format.Name).ToList());
        Assert.IsTrue(plan.NeedsDisk);
    }

    [TestMethod]
    public void Create_InitramfsFormat_IsATreeFormatThatNeedsZstd()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "initramfs" });

        Assert.AreEqual("img.initramfs", Path.GetFileName(plan.Outputs.Single().Path));
        Assert.IsFalse(plan.NeedsDisk);
        Assert.IsTrue(plan.HostTools().Any(t => t.Program == "zstd" && t.Package == "zstd"));
    }

    [TestMethod]
    public void Create_IpxeFormat_BringsTheKernelAndInitramfsItBoots()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "ipxe" });

        CollectionAssert.AreEqual(new[] { "img.kernel", "img.initramfs", "img.ipxe" }, plan.Outputs.Select(o => Path.GetFileName(o.Path)).ToList());
        Assert.IsFalse(plan.NeedsDisk);
    }

    [TestMethod]
    public void Create_IsoFormat_NeedsGrubForBothFirmwaresAndXorriso()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "iso" });

        Assert.AreEqual("img.iso", Path.GetFileName(plan.Outputs.Single().Path));
        var tools = plan.HostTools().Select(t => $"{t.Program} ({t.Package})").ToList();
        foreach (var tool in new[] { "grub-mkrescue (grub-common)", "xorriso (xorriso)", "mformat (mtools)",
                     "/usr/lib/grub/i386-pc/cdboot.img (grub-pc-bin)", "/usr/lib/grub/x86_64-efi/linux.mod (grub-efi-amd64-bin)" })
            CollectionAssert.Contains(tools, tool);
    }

    [TestMethod]
    public void Create_IsoFormatForArm64_FailsWithDIB1003BeforeAnyWork()
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => Create(tree, s => s with { ImageFormats = "iso", TargetArch = "arm64" }));

        Assert.AreEqual("DIB1003", error.Code);
        StringAssert.Contains(error.Message, "TargetArch is arm64");
        StringAssert.Contains(error.Message, "ipxe");
    }

    [TestMethod]
    [DataRow("ramdisk", "qcow2", "kernel, initramfs", "the ramdisk element")]
    [DataRow("baremetal", "qcow2", "kernel, initrd", "the baremetal element")]
    [DataRow(null, "tar;iso", "iso", "ImageFormats")]
    public void Create_KernelOutputsForATreeWithoutKernel_FailWithDIB1007NamingWhatToAdd(string? element, string formats, string named, string reason)
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => ImageBuildPlanWithLog(tree, formats, element is null ? [] : [element],
            new RecordingBuildLog(), os: ("container-os", ["operating-system"])));

        Assert.AreEqual("DIB1007", error.Code);
        StringAssert.Contains(error.Message, $"The {named} output");
        StringAssert.Contains(error.Message, reason);
        StringAssert.Contains(error.Message, "'container-os' does not provide 'kernel'");
        StringAssert.Contains(error.Message, "debian-minimal, ubuntu-minimal or ubuntu");
    }

    [TestMethod]
    public void Create_RamdiskMemoryThatIsNoSize_FailsWithDIB1004()
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => Create(tree, s => s with { RamdiskMemory = "lots" }));
        Assert.AreEqual("DIB1004", error.Code);
        StringAssert.Contains(error.Message, "RamdiskMemory");
    }

    private static ImageBuildPlan ImageBuildPlanWithLog(TempElementTree tree, string formats, string[] elements, RecordingBuildLog log,
        (string Name, string[] Provides)? os = null)
    {
        var (osName, provides) = os ?? ("my-os", ["operating-system", "kernel"]);
        var osPath = tree.AddElement(osName, provides: provides);
        var settings = new ImageSettings
        {
            ProjectDirectory = tree.Root,
            OutputDirectory = Path.Combine(tree.Root, "bin"),
            ImageName = "img",
            TargetArch = "amd64",
            ImageFormats = formats,
        };
        return ImageBuildPlan.Create(settings, [Element.Load(osName, osPath), .. elements.Select(e => Element.Load(e, tree.AddElement(e)))],
            new WorkFolder(Path.Combine(tree.Root, "obj", "dib"), "img"), log, blockDeviceVariable: "");
    }

    [TestMethod]
    public void Create_KernelAndInitrdFormats_AreTreeFormatsWithoutTheElement()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree, s => s with { ImageFormats = "initrd;kernel" });

        CollectionAssert.AreEqual(new[] { "kernel", "initrd" }, plan.Outputs.Select(o => o.Format.Name).ToList());
        Assert.IsFalse(plan.NeedsDisk, "no disk is made for them");
    }

    [TestMethod]
    public void Inputs_EachSettingChangesOnlyTheStepThatReadsIt()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree);
        var other = Create(tree, s => s with { ImageSize = "2GiB", Qcow2Compression = "zlib" });
        CollectionAssert.AreEquivalent(plan.TreeInputs().ToList(), other.TreeInputs().ToList(), "the tree does not depend on the disk's size or compression");
        Assert.AreNotEqual(plan.DiskInputs()["ImageSize"], other.DiskInputs()["ImageSize"]);
        Assert.AreNotEqual(plan.ConvertInputs()["Qcow2Compression"], other.ConvertInputs()["Qcow2Compression"]);
        var release = Create(tree, s => s with { Release = "trixie" });
        Assert.AreEqual("trixie", release.TreeInputs()["DistroRelease"]);
    }

    [TestMethod]
    public void Inputs_TargetArchShapesTheTree_SoNoStageKeyIsSharedAcrossArchitectures()
    {
        using var tree = new TempElementTree();
        var amd64 = Create(tree);
        var arm64 = Create(tree, s => s with { TargetArch = "arm64" });

        Assert.AreEqual("arm64", arm64.TreeInputs()["TargetArch"]);
        Assert.AreNotEqual(DiskImageBuilder.Caching.StageKey.Compute(null, "root", amd64.TreeInputs()),
            DiskImageBuilder.Caching.StageKey.Compute(null, "root", arm64.TreeInputs()), "the first stage's key, and so every later one, differs");
    }

    [TestMethod]
    public void Create_FixedSizeTooSmallForTheLayout_FailsWithDib3003BeforeAnyWork()
    {
        using var tree = new TempElementTree();
        var error = Assert.ThrowsExactly<DibException>(() => Create(tree, s => s with { ImageSize = "1MiB" }));
        Assert.AreEqual(ErrorCodes.PartitionsDoNotFit, error.Code);
        Assert.IsFalse(Directory.Exists(Path.Combine(tree.Root, "obj")));
    }

    [TestMethod]
    public void WriteInputFiles_AllUnderTheWorkFolder()
    {
        using var tree = new TempElementTree();
        var plan = Create(tree);
        plan.WriteInputFiles();
        foreach (var file in new[] { plan.Work.TreeInputs, plan.Work.DiskInputs, plan.Work.ConvertInputs, plan.Work.LayoutConfig })
        {
            Assert.IsTrue(File.Exists(file), file);
            StringAssert.StartsWith(file, plan.Work.Root + "/");
        }
        StringAssert.Contains(File.ReadAllText(plan.Work.LayoutConfig), "mount_point: /");
    }
}
