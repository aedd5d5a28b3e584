using DiskImageBuilder.Build;
using DiskImageBuilder.Diagnostics;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks;

/// <summary>
/// Plans the image build (<see cref="ImageBuildPlan.Create"/>): checks every property, chooses and reads the
/// block-device layout, checks the host tools, and writes the inputs files that the later targets' Inputs read.
/// Every bad value stops the build here, before any image file exists. The plan stays in MSBuild's task-object
/// registry for the later tasks of this build (<see cref="PlannedTask"/>); its facts come back as items.
/// </summary>
public sealed class PlanImageBuild : DibTask
{
    /// <summary>The build's work folder (obj/&lt;Configuration&gt;/&lt;TargetArch&gt;/dib/).</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    /// <summary>Where the outputs go (bin/&lt;Configuration&gt;/&lt;TargetArch&gt;/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    [Required]
    public string ProjectDirectory { get; set; } = "";

    [Required]
    public ITaskItem[] ResolvedElements { get; set; } = [];

    /// <summary>ResolveElements' SearchPath (ELEMENTS_PATH for scripts).</summary>
    public string SearchPath { get; set; } = "";

    public string BuiltInElementsDirectory { get; set; } = "";

    [Required]
    public string ImageName { get; set; } = "";

    /// <summary>The architecture as ResolveElements normalised it.</summary>
    [Required]
    public string TargetArch { get; set; } = "";

    public string? Release { get; set; }
    public bool Offline { get; set; }
    public string? Break { get; set; }

    public string ImageFormats { get; set; } = "qcow2";
    public string Qcow2Compression { get; set; } = "zstd";
    public string VhdSubformat { get; set; } = "dynamic";
    public string ImageChecksums { get; set; } = "sha256";
    public string RamdiskMemory { get; set; } = "2GiB";
    public string? ContainerRepository { get; set; }
    public string ContainerTag { get; set; } = "latest";
    /// <summary>ContainerLabel items: Identity = key, metadata Value.</summary>
    public ITaskItem[] ContainerLabels { get; set; } = [];
    public string? SourceDateEpoch { get; set; }
    public string VirtualMachineCpus { get; set; } = "2";
    public string VirtualMachineMemory { get; set; } = "2GiB";
    public string VirtualMachineDiskController { get; set; } = "scsi";
    public string VirtualMachineNetworkAdapter { get; set; } = "vmxnet3";
    public string VirtualMachineNetwork { get; set; } = "VM Network";
    public string VirtualMachineFirmware { get; set; } = "auto";

    public string? BlockDeviceConfig { get; set; }
    public string RootLabel { get; set; } = "cloudimg-rootfs";
    public string RootFilesystemType { get; set; } = "ext4";
    public string? RootFilesystemUuid { get; set; }
    public string? ImageJournalSize { get; set; }
    public string? ImageSize { get; set; }
    public string? ImageExtraSize { get; set; }
    public string? DiskSignature { get; set; }
    public string? DiskGuid { get; set; }

    /// <summary>ElementEnvironment items: Identity = variable, metadata Value or FromEnvironment.</summary>
    public ITaskItem[] ElementEnvironment { get; set; } = [];

    public string CacheDirectory { get; set; } = "";
    public bool StageCache { get; set; } = true;
    public string StageCacheMaxSize { get; set; } = "20GiB";
    public double CachePointSeconds { get; set; } = 2;

    /// <summary>Whether to check the host tools and root (false only for a plan without image work).</summary>
    public bool CheckHost { get; set; } = true;

    /// <summary>The outputs: Identity = file; metadata Format, TargetArch, Source (the file it is made from), FromDisk, ChecksumFiles.</summary>
    [Output]
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>The first output (the first of ImageFormats that this build writes): the project's TargetPath.</summary>
    [Output]
    public string PrimaryOutput { get; set; } = "";

    /// <summary>The checksum files beside the outputs.</summary>
    [Output]
    public ITaskItem[] ChecksumFiles { get; set; } = [];

    /// <summary>The stages of the tree: Identity = stage; metadata Phases (';'-separated).</summary>
    [Output]
    public ITaskItem[] Stages { get; set; } = [];

    /// <summary>The host tools the build runs: Identity = program; metadata Package, Purpose.</summary>
    [Output]
    public ITaskItem[] HostTools { get; set; } = [];

    /// <summary>Whether any output is made from a disk.</summary>
    [Output]
    public bool NeedsDisk { get; set; }

    /// <summary>What the layout was read from, for messages.</summary>
    [Output]
    public string LayoutSource { get; set; } = "";

    // The work folder's files that targets name in Inputs and Outputs.
    [Output] public string TreeInputsFile { get; set; } = "";
    [Output] public string DiskInputsFile { get; set; } = "";
    [Output] public string ConvertInputsFile { get; set; } = "";
    [Output] public string LayoutConfigFile { get; set; } = "";
    [Output] public string TreeStamp { get; set; } = "";
    [Output] public string DiskStamp { get; set; } = "";
    [Output] public string RawDisk { get; set; } = "";
    [Output] public string DirtyMarker { get; set; } = "";

    protected override Task ExecuteCoreAsync(IBuildLog log)
    {
        var settings = new ImageSettings
        {
            ProjectDirectory = ProjectDirectory,
            OutputDirectory = Path.GetFullPath(OutputDirectory, ProjectDirectory),
            ImageName = ImageName,
            TargetArch = TargetArch,
            Release = Release,
            Offline = Offline,
            Break = Break,
            ElementsSearchPath = SearchPath,
            BuiltInElementsDirectory = BuiltInElementsDirectory,
            ImageFormats = ImageFormats,
            Qcow2Compression = Qcow2Compression,
            VhdSubformat = VhdSubformat,
            ImageChecksums = ImageChecksums,
            RamdiskMemory = RamdiskMemory,
            ContainerRepository = ContainerRepository,
            ContainerTag = ContainerTag,
            ContainerLabels = TaskItems.Values(ContainerLabels),
            SourceDateEpoch = SourceDateEpoch,
            VirtualMachineCpus = VirtualMachineCpus,
            VirtualMachineMemory = VirtualMachineMemory,
            VirtualMachineDiskController = VirtualMachineDiskController,
            VirtualMachineNetworkAdapter = VirtualMachineNetworkAdapter,
            VirtualMachineNetwork = VirtualMachineNetwork,
            VirtualMachineFirmware = VirtualMachineFirmware,
            BlockDeviceConfig = BlockDeviceConfig,
            RootLabel = RootLabel,
            RootFilesystemType = RootFilesystemType,
            RootFilesystemUuid = RootFilesystemUuid,
            ImageJournalSize = ImageJournalSize,
            ImageSize = ImageSize,
            ImageExtraSize = ImageExtraSize,
            DiskSignature = DiskSignature,
            DiskGuid = DiskGuid,
            ElementEnvironment = TaskItems.Environment(ElementEnvironment),
            CacheDirectory = CacheDirectory,
            StageCache = StageCache,
            StageCacheMaxSize = StageCacheMaxSize,
            CachePointSeconds = CachePointSeconds,
        };
        var work = new WorkFolder(WorkDirectory, ImageName);
        var plan = ImageBuildPlan.Create(settings, TaskItems.Elements(ResolvedElements), work, log);
        if (CheckHost)
            plan.CheckHost(log);
        log.Progress($"Block device: layout from {plan.LayoutSource.SourceName}");
        plan.WriteInputFiles();
        BuildEngine4.RegisterTaskObject(PlannedTask.RegistryKey(WorkDirectory), plan, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);

        Outputs = [.. plan.Outputs.Select(o => TaskItems.Create(o.Path, ("Format", o.Format.Name), ("TargetArch", TargetArch),
            ("Source", o.Source), ("FromDisk", o.Format.FromDisk ? "true" : "false"), ("ChecksumFiles", string.Join(';', o.ChecksumFiles))))];
        PrimaryOutput = Outputs.FirstOrDefault()?.ItemSpec ?? "";
        ChecksumFiles = [.. plan.Outputs.SelectMany(o => o.ChecksumFiles).Select(f => TaskItems.Create(f))];
        Stages = [.. plan.Stages.Select(s => TaskItems.Create(s.Name, ("Phases", string.Join(';', s.Phases))))];
        HostTools = [.. plan.HostTools().DistinctBy(t => t.Program).Select(t => TaskItems.Create(t.Program, ("Package", t.Package), ("Purpose", t.Purpose)))];
        NeedsDisk = plan.NeedsDisk;
        LayoutSource = plan.LayoutSource.SourceName;
        TreeInputsFile = work.TreeInputs;
        DiskInputsFile = work.DiskInputs;
        ConvertInputsFile = work.ConvertInputs;
        LayoutConfigFile = work.LayoutConfig;
        TreeStamp = work.TreeStamp;
        DiskStamp = work.DiskStamp;
        RawDisk = work.RawDisk;
        DirtyMarker = work.DirtyMarker;
        return Task.CompletedTask;
    }
}
