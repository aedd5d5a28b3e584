using System.Globalization;
using DiskImageBuilder.BlockDevice;
using DiskImageBuilder.BlockDevice.Config;
using DiskImageBuilder.BlockDevice.Layout;
using DiskImageBuilder.Caching;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Elements;
using DiskImageBuilder.Host;
using DiskImageBuilder.IO;
using DiskImageBuilder.Outputs;
using DiskImageBuilder.Phases;

namespace DiskImageBuilder.Build;

/// <summary>
/// The one owner of an image build's decisions: it checks every setting before any work, chooses and reads the
/// block-device layout, and says which outputs the build writes, which host tools it needs, which stages make
/// the tree and which settings each step reads. The MSBuild tasks map its members to items and properties; a
/// CLI or a test can use it as it is.
/// </summary>
public sealed class ImageBuildPlan
{
    /// <summary>Host tools every image build runs, whatever its elements.</summary>
    public static readonly IReadOnlyList<HostTool> CoreTools =
    [
        new("unshare", "util-linux", "private mount namespaces for element scripts"),
        new("capsh", "libcap2-bin", "entering the chroot with the capabilities that reach the host dropped"),
        new("mke2fs", "e2fsprogs", "creating ext4 filesystems from the tree"),
    ];

    /// <summary>Host tools a build as an ordinary user runs besides: the setuid helpers that map its subordinate ids.</summary>
    public static readonly IReadOnlyList<HostTool> RootlessTools =
    [
        new("newuidmap", "uidmap", "mapping the image's owners to your subordinate uids in a build as an ordinary user"),
        new("newgidmap", "uidmap", "mapping the image's groups to your subordinate gids in a build as an ordinary user"),
    ];

    private ImageBuildPlan(ImageSettings settings, IReadOnlyList<Element> elements, WorkFolder work)
    {
        Settings = settings;
        Elements = elements;
        Work = work;
    }

    public ImageSettings Settings { get; }
    public IReadOnlyList<Element> Elements { get; }
    public WorkFolder Work { get; }

    /// <summary>The four stages of the tree, in order, with their phases.</summary>
    public IReadOnlyList<TreeStage> Stages => TreeStage.All;

    /// <summary>The stage before which the raw disk is created (IMAGE_BLOCK_DEVICE exists from its first phase on), as diskimage-builder does.</summary>
    public static string DiskCreatedBefore => "finalise";

    public IReadOnlyList<PlannedOutput> Outputs { get; private set; } = [];

    /// <summary>Whether any output is made from a disk (else no disk is built at all).</summary>
    public bool NeedsDisk => Outputs.Any(o => o.Format.FromDisk);

    public IReadOnlyList<string> ChecksumAlgorithms { get; private set; } = [];

    public RootFilesystemSettings Root { get; private set; } = null!;

    public BlockDeviceConfigSource LayoutSource { get; private set; } = null!;

    /// <summary>The layout's YAML as read; copied to <see cref="WorkFolder.LayoutConfig"/> so that a changed layout redoes the disk.</summary>
    public string LayoutText { get; private set; } = "";

    public BlockDeviceConfig Layout { get; private set; } = null!;

    /// <summary>The fixed disk size, or null to compute it from the tree.</summary>
    public long? ImageSizeBytes { get; private set; }

    public long ImageExtraBytes { get; private set; }

    public uint? DiskSignature { get; private set; }

    public Guid? DiskGuid { get; private set; }

    public long StageCacheMaxBytes { get; private set; }

    /// <summary>The computed disk size is rounded up to a multiple of this: a GiB for the gce format, else a MiB.</summary>
    public long DiskSizeMultipleBytes => Outputs.Any(o => o.Format.Name == "gce") ? GceArchiveWriter.SizeMultiple : FilesystemSizing.MiB;

    /// <summary>SOURCE_DATE_EPOCH, or null: the time every output's timestamps are clamped to.</summary>
    public long? SourceDateEpoch { get; private set; }

    /// <summary>With SOURCE_DATE_EPOCH, where the identifiers that would be random come from; else null.</summary>
    public SeededIdentifiers? Identifiers { get; private set; }

    /// <summary>The machine the ova and vagrant-libvirt outputs describe.</summary>
    public VirtualHardware Hardware { get; private set; } = VirtualHardware.Default;

    /// <summary>RamdiskMemory in bytes: the initramfs must unpack into half of it.</summary>
    public long RamdiskMemoryBytes { get; private set; }

    /// <summary>The stage cache folder, or null when DiskImageCache is false.</summary>
    public string? StageCacheDirectory =>
        Settings.StageCache && !string.IsNullOrEmpty(Settings.CacheDirectory) ? Path.Combine(Settings.CacheDirectory, "stages") : null;

    /// <summary>The element environment as scripts see it (DIB_* of the process, then the items).</summary>
    public IReadOnlyDictionary<string, string> UserEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>Chooses and checks everything; the first bad setting is a coded error naming it and its fix.</summary>
    public static ImageBuildPlan Create(ImageSettings settings, IReadOnlyList<Element> elements, WorkFolder work, IBuildLog log,
        string? blockDeviceVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plan = new ImageBuildPlan(settings, elements, work);
        var formats = ImageFormatList.Parse(settings.ImageFormats);
        // diskimage-builder's baremetal: the image's kernel and initrd beside it.
        if (elements.Any(e => e.Name == ElementNames.Baremetal))
            formats = [.. ImageFormatList.All.Where(f => formats.Contains(f) || f.Name is "kernel" or "initrd")];
        formats = RamdiskFormats(formats, elements, log);
        RequireKernel(formats, elements);
        if (formats.Any(f => f.Name == "iso") && settings.TargetArch != IsoWriter.Architecture)
        {
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"ImageFormats names iso, which boots {IsoWriter.Architecture} machines (BIOS and UEFI), and TargetArch is {settings.TargetArch}. " +
                "An ISO for other architectures needs their GRUB EFI (arm64-efi) on the ISO, which this version does not make yet. " +
                "Leave iso out for this architecture; the kernel and initramfs of the ramdisk element, or the ipxe format, boot it live instead.");
        }
        RequireOneOf("Qcow2Compression", settings.Qcow2Compression, QemuImgConverter.Qcow2Compressions);
        RequireOneOf("VhdSubformat", settings.VhdSubformat, QemuImgConverter.VhdSubformats);
        plan.ChecksumAlgorithms = Checksums.Parse(settings.ImageChecksums);
        plan.Outputs = [.. formats.Select(plan.Output)];
        // diskimage-builder's no-final-image: every phase runs, but the disk formats are not written.
        if (elements.Any(e => e.Name == ElementNames.NoFinalImage) && plan.Outputs.Any(o => o.Format.FromDisk))
        {
            log.Progress($"{ElementNames.NoFinalImage}: no disk image; not writing {string.Join(", ", plan.Outputs.Where(o => o.Format.FromDisk).Select(o => o.Format.Name))}");
            plan.Outputs = [.. plan.Outputs.Where(o => !o.Format.FromDisk)];
        }

        plan.Root = RootSettings(settings.RootFilesystemType, settings.RootLabel, settings.RootFilesystemUuid, settings.ImageJournalSize);
        plan.ImageSizeBytes = string.IsNullOrWhiteSpace(settings.ImageSize) ? null : SizeParser.Parse(settings.ImageSize, "ImageSize");
        plan.ImageExtraBytes = string.IsNullOrWhiteSpace(settings.ImageExtraSize) ? 0 : SizeParser.Parse(settings.ImageExtraSize, "ImageExtraSize");
        plan.DiskSignature = ParseSignature(settings.DiskSignature);
        plan.DiskGuid = ParseGuid(settings.DiskGuid);
        plan.StageCacheMaxBytes = SizeParser.Parse(settings.StageCacheMaxSize, "DiskImageCacheMaxSize");
        plan.RamdiskMemoryBytes = SizeParser.Parse(settings.RamdiskMemory, "RamdiskMemory");
        plan.SourceDateEpoch = SourceDateEpochs.Parse(settings.SourceDateEpoch);
        plan.Identifiers = plan.SourceDateEpoch is { } epoch ? new SeededIdentifiers(settings.ImageName, settings.TargetArch, epoch) : null;

        plan.LayoutSource = BlockDeviceConfigSource.Select(settings.BlockDeviceConfig,
            blockDeviceVariable ?? Environment.GetEnvironmentVariable(BlockDeviceConfigSource.EnvironmentVariable),
            settings.TargetArch, elements, File.Exists, settings.ProjectDirectory);
        plan.LayoutText = plan.LayoutSource.ReadText();
        plan.Layout = BlockDeviceConfigParser.Parse(plan.LayoutText, plan.LayoutSource.SourceName);
        LayoutSupport.Check(plan.Layout, plan.Root);
        if (elements.Any(e => e.Name == ElementNames.Bootloader))
            LayoutFirmware.RequireBootable(plan.Layout, ArchitectureProfile.For(settings.TargetArch), plan.LayoutSource.SourceName);
        if (plan.ImageSizeBytes is { } size)
            BlockDeviceSizes.Resolve(plan.Layout, FilesystemSizing.RoundUpToMiB(size));
        plan.Hardware = VirtualHardware.Parse(settings.VirtualMachineCpus, settings.VirtualMachineMemory, settings.VirtualMachineDiskController,
            settings.VirtualMachineNetworkAdapter, settings.VirtualMachineNetwork, settings.VirtualMachineFirmware,
            LayoutFirmware.Offered(plan.Layout).HasFlag(BootFirmware.Bios));
        CloudTargets.Check(plan, log);
        foreach (var ignored in plan.LayoutSource.Ignored)
            log.Detail($"Block device: {ignored} is not used; an earlier element's file wins");

        ElementHostResources.Require(elements, settings.BuiltInElementsDirectory);
        plan.UserEnvironment = UserVariables.Collect(settings.ElementEnvironment);
        // Element scripts see SOURCE_DATE_EPOCH, as the tools they run read it (initramfs-tools clamps the initramfs, shadow's
        // useradd and chpasswd write it as the last password change). It is in the tree's inputs through the environment.
        if (plan.SourceDateEpoch is { } sourceDateEpoch && !plan.UserEnvironment.ContainsKey("SOURCE_DATE_EPOCH"))
        {
            plan.UserEnvironment = new Dictionary<string, string>(plan.UserEnvironment, StringComparer.Ordinal)
            {
                ["SOURCE_DATE_EPOCH"] = sourceDateEpoch.ToString(CultureInfo.InvariantCulture),
            };
        }
        return plan;
    }

    /// <summary>
    /// The ramdisk element and the ipxe format: the kernel and the whole tree as an initramfs, named NAME.kernel and
    /// NAME.initramfs as diskimage-builder's ramdisk names them. With the ramdisk element but without the vm element
    /// no disk is made (it would have no bootloader).
    /// </summary>
    private static IReadOnlyList<ImageFormat> RamdiskFormats(IReadOnlyList<ImageFormat> formats, IReadOnlyList<Element> elements, IBuildLog log)
    {
        bool ramdisk = elements.Any(e => e.Name == ElementNames.Ramdisk);
        if (!ramdisk && !formats.Any(f => f.Name == "ipxe"))
            return formats;
        var chosen = ImageFormatList.All.Where(f => formats.Contains(f) || f.Name is "kernel" or "initramfs")
            .Select(f => f.Name == "kernel" ? f with { FileSuffix = ".kernel" } : f).ToList();
        if (ramdisk && !elements.Any(e => e.Name == ElementNames.Vm) && chosen.Any(f => f.FromDisk))
        {
            log.Progress($"{ElementNames.Ramdisk}: the image runs from RAM; not writing {string.Join(", ", chosen.Where(f => f.FromDisk).Select(f => f.Name))} " +
                $"(add the {ElementNames.Vm} element for a bootable disk as well)");
            chosen.RemoveAll(f => f.FromDisk);
        }
        return chosen;
    }

    /// <summary>The formats that boot the image's own kernel.</summary>
    private static readonly string[] KernelFormats = ["kernel", "initrd", "initramfs", "iso", "ipxe"];

    /// <summary>DIB1007 before any work when a format boots the image's kernel and no element installs one.</summary>
    private static void RequireKernel(IReadOnlyList<ImageFormat> formats, IReadOnlyList<Element> elements)
    {
        var booting = formats.Where(f => KernelFormats.Contains(f.Name)).Select(f => f.Name).ToList();
        if (booting.Count == 0 || elements.Any(e => e.Provides.Contains(ElementNames.Kernel)))
            return;
        var os = elements.FirstOrDefault(e => e.Provides.Contains(ElementNames.OperatingSystem))?.Name;
        var adders = elements.Where(e => e.Name is ElementNames.Ramdisk or ElementNames.Baremetal).Select(e => $"the {e.Name} element").ToList();
        throw new DibException(ErrorCodes.NoKernel,
            $"The {string.Join(", ", booting)} output{(booting.Count > 1 ? "s boot" : " boots")} the image's own kernel " +
            $"({(adders.Count > 0 ? string.Join(" and ", adders) + " and " : "")}ImageFormats asked for {(booting.Count > 1 ? "them" : "it")}), " +
            $"and no element of the build installs one{(os is null ? "" : $": the operating-system element '{os}' does not provide '{ElementNames.Kernel}'")}. " +
            $"Build on debian-minimal, ubuntu-minimal or ubuntu, which install a kernel; or, if '{os ?? "your element"}' installs one, " +
            $"add '{ElementNames.Kernel}' to its element-provides.");
    }

    /// <summary>Every host program the build will run: the core tools, the elements' host-tools files, the formats' writers.</summary>
    public IReadOnlyList<HostTool> HostTools() =>
    [
        .. CoreTools,
        .. Sandbox.UserNamespace.Current is null ? [] : RootlessTools,
        .. Elements.SelectMany(e => ElementHostTools.Read(e.Path)),
        .. Outputs.SelectMany(o => o.Format.HostTools()),
    ];

    /// <summary>
    /// Stops the build before anything is downloaded when a host tool is missing (DIB5001) or too old (DIB5006), or the
    /// build runs as an ordinary user on a host or for a user where it cannot get a user namespace (DIB5007, DIB5008).
    /// The log says whether the build runs as root or rootless.
    /// </summary>
    public void CheckHost(IBuildLog? log = null)
    {
        Host.HostTools.Require(HostTools());
        Host.HostToolVersions.Require(HostToolMinimums(), log);
        Sandbox.UserNamespace.Current?.Require(new Processes.ProcessRunner(log ?? NullBuildLog.Instance));
        log?.Progress($"Privileges: {Sandbox.UserNamespace.ModeDescription}");
    }

    /// <summary>The oldest versions of host tools that this build's features need (DIB5006).</summary>
    public IReadOnlyList<HostToolMinimum> HostToolMinimums() =>
    [
        .. Outputs.Any(o => o.Format.Name == "qcow2") && Settings.Qcow2Compression == "zstd" ? [HostToolMinimum.QemuImgZstd] : Array.Empty<HostToolMinimum>(),
        .. HostTools().Any(t => t.Program == "mmdebstrap") ? [HostToolMinimum.MmdebstrapHooks] : Array.Empty<HostToolMinimum>(),
    ];

    /// <summary>
    /// What element scripts of <paramref name="phase"/> learn about the layout (DIB_ROOT_LABEL…), and IMAGE_BLOCK_DEVICE
    /// from the stage on that the disk is created before, when a disk is built.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> BlockDeviceEnvironment(string phase)
    {
        var diskStage = Stages.ToList().FindIndex(s => s.Name == DiskCreatedBefore);
        var diskExists = NeedsDisk && Stages.ToList().FindIndex(s => s.Phases.Contains(phase)) >= diskStage;
        return
        [
            .. LayoutEnvironment.For(Layout, Root),
            .. diskExists ? [new KeyValuePair<string, string>("IMAGE_BLOCK_DEVICE", Work.RawDisk)] : Array.Empty<KeyValuePair<string, string>>(),
        ];
    }

    /// <summary>
    /// The settings that shape the tree, by name: a stage's key includes them, and a changed one makes the
    /// root stage run again. The list of element files is one of them: a deleted file, or one added with an old
    /// timestamp, changes no timestamp that MSBuild compares but changes this list.
    /// </summary>
    public IReadOnlyDictionary<string, string> TreeInputs()
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["TargetArch"] = Settings.TargetArch,
            // A snapshot taken as root and one taken in a user namespace hold different owners on the host: the two
            // never restore each other's, even from a shared DiskImageCacheDir.
            ["Privileges"] = Sandbox.UserNamespace.Current is null ? "root" : "rootless",
            ["DistroRelease"] = Settings.Release ?? "",
            ["ImageName"] = Settings.ImageName,
            ["Offline"] = Settings.Offline ? "true" : "false",
            ["RootLabel"] = Settings.RootLabel,
            ["Environment"] = UserVariables.Fingerprint(UserEnvironment),
            ["File"] = string.Join('\n', ElementFiles()),
            ["Element"] = string.Join('\n', Elements.Select(e => $"{e.Name} {e.Path}")),
        };
        // The layout's variables reach every phase (the bootloader reads the labels and GRUB's prefix); IMAGE_BLOCK_DEVICE
        // is left out, as before: it names a file of this work folder, not a property of the tree.
        foreach (var (name, value) in LayoutEnvironment.For(Layout, Root))
            inputs[$"BlockDevice {name}"] = value;
        return inputs;
    }

    /// <summary>The settings that shape the disk but not the tree.</summary>
    public IReadOnlyDictionary<string, string> DiskInputs() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["ImageSize"] = Settings.ImageSize ?? "",
        ["ImageExtraSize"] = Settings.ImageExtraSize ?? "",
        ["RootFilesystemUuid"] = Settings.RootFilesystemUuid ?? "",
        ["DiskSignature"] = Settings.DiskSignature ?? "",
        ["DiskGuid"] = Settings.DiskGuid ?? "",
        ["RootFilesystemType"] = Settings.RootFilesystemType,
        ["ImageJournalSize"] = Settings.ImageJournalSize ?? "",
        ["BlockDeviceConfigSource"] = LayoutSource.SourceName,
        ["DiskSizeMultiple"] = DiskSizeMultipleBytes.ToString(CultureInfo.InvariantCulture),
        ["SourceDateEpoch"] = SourceDateEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The settings of the conversions.</summary>
    public IReadOnlyDictionary<string, string> ConvertInputs()
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Qcow2Compression"] = Settings.Qcow2Compression,
            ["VhdSubformat"] = Settings.VhdSubformat,
            ["ImageChecksums"] = Settings.ImageChecksums,
            ["RamdiskMemory"] = Settings.RamdiskMemory,
            ["ContainerTag"] = Settings.ContainerTag,
            ["ContainerRepository"] = Settings.ContainerRepository ?? "",
            ["VirtualMachine"] = Hardware.ToString(),
            ["SourceDateEpoch"] = SourceDateEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        foreach (var (key, value) in Settings.ContainerLabels)
            inputs[$"Label {key}"] = value;
        return inputs;
    }

    /// <summary>
    /// Writes the three inputs files and the layout's YAML into the work folder, each only when its content changed,
    /// so that their timestamps tell MSBuild's Inputs/Outputs checks exactly which step must run again.
    /// </summary>
    public void WriteInputFiles()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Work.TreeStamp)!);
        WriteWhenChanged(Work.TreeInputs, Lines(TreeInputs()));
        WriteWhenChanged(Work.DiskInputs, Lines(DiskInputs()));
        WriteWhenChanged(Work.ConvertInputs, Lines(ConvertInputs()));
        WriteWhenChanged(Work.LayoutConfig, LayoutText);
    }

    /// <summary>The options of the writers in <see cref="Outputs"/>.</summary>
    public OutputOptions OutputOptions() => new()
    {
        Qcow2Compression = Settings.Qcow2Compression,
        VhdSubformat = Settings.VhdSubformat,
        ContainerTag = Settings.ContainerTag,
        ContainerRepository = string.IsNullOrEmpty(Settings.ContainerRepository) ? Settings.ImageName.ToLowerInvariant() : Settings.ContainerRepository,
        TargetArch = Settings.TargetArch,
        RamdiskMemoryBytes = RamdiskMemoryBytes,
        ImageName = Settings.ImageName,
        OperatingSystem = Elements.FirstOrDefault(e => e.Provides.Contains(ElementNames.OperatingSystem))?.Name ?? "",
        Hardware = Hardware,
        SourceDateEpoch = SourceDateEpoch,
        Identifiers = Identifiers,
        Labels = Settings.ContainerLabels,
        BootFileSelector = Path.Combine(Settings.BuiltInElementsDirectory, "select-boot-kernel-initrd", "bin", "select-boot-kernel-initrd"),
        BootFileEnvironment = UserEnvironment
            .Where(v => v.Key is "DIB_BAREMETAL_KERNEL_PATTERN" or "DIB_BAREMETAL_INITRD_PATTERN")
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
    };

    /// <summary>Whether a failing script prints the command that enters its environment (DiskImageBreak=after-error).</summary>
    public bool BreakOnError => Settings.Break?.Split(',').Contains("after-error") == true;

    /// <summary>The context element scripts of <paramref name="phase"/> run in; without a phase, the one that reads elements' environment.d for the manifests.</summary>
    public BuildContext Context(string? phase = null) => new()
    {
        TreeDir = Work.Tree,
        HooksDir = Work.Hooks,
        BuildDir = Work.Build,
        ImageCacheDir = Settings.CacheDirectory,
        ImageName = Settings.ImageName,
        Arch = Settings.TargetArch,
        Elements = [.. Elements.Select(e => e.Name)],
        ElementPaths = [.. Elements.Select(e => KeyValuePair.Create(e.Name, e.Path))],
        ElementsPath = Settings.ElementsSearchPath,
        // The SDK's library for diskimage-builder's scripts ($_LIB) sits beside its built-in elements.
        LibraryDir = string.IsNullOrEmpty(Settings.BuiltInElementsDirectory) ? ""
            : Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Settings.BuiltInElementsDirectory))!, "lib"),
        Offline = Settings.Offline,
        Release = string.IsNullOrEmpty(Settings.Release) ? null : Settings.Release,
        BlockDeviceEnvironment = phase is null ? new Dictionary<string, string>()
            : BlockDeviceEnvironment(phase).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
        UserEnvironment = UserEnvironment,
    };

    /// <summary>The build's root filesystem settings from the properties; each bad value is a coded error.</summary>
    public static RootFilesystemSettings RootSettings(string type, string label, string? uuid = null, string? journalSize = null)
    {
        long? journal = string.IsNullOrWhiteSpace(journalSize) ? null : SizeParser.Parse(journalSize, "ImageJournalSize");
        if (journal < 4 * FilesystemSizing.MiB)
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"ImageJournalSize '{journalSize}' is below the 4 MiB an ext journal needs at least. Give a size such as 64MiB, or leave it empty.");
        if (!FilesystemTypes.TryParse(type.Trim().ToLowerInvariant(), out var parsed))
            throw new DibException(ErrorCodes.BlockDeviceUnknownFilesystem,
                $"RootFilesystemType '{type}' is not a filesystem the SDK makes. Use ext4 (the default), ext3, ext2, xfs or btrfs.");
        if (parsed is FilesystemType.Swap or FilesystemType.Vfat)
            throw new DibException(ErrorCodes.BlockDeviceUnknownFilesystem,
                $"RootFilesystemType '{type}' cannot hold a Linux root filesystem. Use ext4 (the default), ext3, ext2, xfs or btrfs.");
        if (!string.IsNullOrWhiteSpace(uuid) && !Guid.TryParse(uuid, out _))
            throw new DibException(ErrorCodes.UnsupportedLayout,
                $"RootFilesystemUuid '{uuid}' is not a UUID. Write it as 8-4-4-4-12 hex digits, or leave it empty for a random one.");
        return new RootFilesystemSettings(parsed, label, string.IsNullOrWhiteSpace(uuid) ? null : uuid.Trim(),
            journal is { } bytes ? FilesystemSizing.RoundUpToMiB(bytes) : null);
    }

    private PlannedOutput Output(ImageFormat format)
    {
        var path = Path.Combine(Settings.OutputDirectory, format.FileName(Settings.ImageName));
        return new PlannedOutput(format, path, format.FromDisk ? Work.RawDisk : Work.TreeStamp,
            Checksums.Files(path, ChecksumAlgorithms));
    }

    private IEnumerable<string> ElementFiles() => Elements.SelectMany(e => e.Files()).Order(StringComparer.Ordinal);

    private static IEnumerable<string> Lines(IReadOnlyDictionary<string, string> values) =>
        values.Select(v => $"{v.Key}={v.Value.Replace("\n", "\n" + v.Key + "=", StringComparison.Ordinal)}");

    private static void WriteWhenChanged(string path, IEnumerable<string> lines) =>
        WriteWhenChanged(path, string.Join('\n', lines) + "\n");

    private static void WriteWhenChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text)
            return;
        AtomicFile.WriteAllText(path, text);
    }

    private static void RequireOneOf(string property, string value, IReadOnlyList<string> valid)
    {
        if (!valid.Contains(value))
            throw new DibException(ErrorCodes.UnknownImageFormat, $"{property} '{value}' is not known. Use one of: {string.Join(", ", valid)}.");
    }

    private static uint? ParseSignature(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return uint.TryParse(value.Trim().Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var signature)
            ? signature
            : throw new DibException(ErrorCodes.UnsupportedLayout,
                $"DiskSignature '{value}' is not 8 hex digits (for example 0x1234abcd). Fix it, or leave it empty for a random one.");
    }

    private static Guid? ParseGuid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return Guid.TryParse(value, out var guid)
            ? guid
            : throw new DibException(ErrorCodes.UnsupportedLayout,
                $"DiskGuid '{value}' is not a GUID. Write it as 8-4-4-4-12 hex digits, or leave it empty for a random one.");
    }
}
