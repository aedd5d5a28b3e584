namespace DiskImageBuilder.Diagnostics;

/// <summary>
/// Every error code the SDK raises. Bands: 1xxx project and properties, 2xxx elements,
/// 3xxx block devices and filesystems, 4xxx outputs, 5xxx host tools and privileges, 6xxx cache.
/// docs/errors.md explains each one.
/// </summary>
public static class ErrorCodes
{
    public const string UnknownTargetArch = "DIB1001";
    public const string NoElements = "DIB1002";
    public const string UnknownImageFormat = "DIB1003";
    public const string BadImageSize = "DIB1004";
    public const string PlanMissing = "DIB1005";
    public const string DuplicateTargetArch = "DIB1006";
    public const string NoKernel = "DIB1007";
    // Raised by Sdk.targets (_DibCheckHost).
    public const string ContainerRegistryWithoutOci = "DIB1008";
    /// <summary>A VirtualMachine* property (the hardware of the ova and vagrant-libvirt outputs) is not a value those platforms take.</summary>
    public const string VirtualHardwareOutOfRange = "DIB1009";
    /// <summary>A disk size that a cloud's import does not take (gce: whole GiB; azure: a fixed vhd of whole MiB).</summary>
    public const string CloudDiskSize = "DIB1010";
    /// <summary>SourceDateEpoch (SOURCE_DATE_EPOCH) is not a number of seconds, or before 1980.</summary>
    public const string BadSourceDateEpoch = "DIB1011";
    public const string UnexpectedFailure = "DIB1999";

    public const string ElementNotFound = "DIB2001";
    public const string NoOperatingSystem = "DIB2002";
    public const string DuplicateProvider = "DIB2003";
    public const string RequestedElementIsProvided = "DIB2004";
    public const string ElementUnreadable = "DIB2005";
    public const string DuplicateHook = "DIB2006";
    public const string BadPackageInstalls = "DIB2007";
    public const string UnsetWhenVariable = "DIB2008";
    public const string ElementNeedsHostResource = "DIB2009";
    public const string ScriptFailed = "DIB2101";
    public const string ElementShadowed = "DIB2901";
    public const string ScriptSkipped = "DIB2902";
    public const string RootTreeEmpty = "DIB2102";
    public const string PhaseCancelled = "DIB2103";

    public const string UnsupportedLayout = "DIB3001";
    public const string FilesystemTooSmall = "DIB3002";
    public const string PartitionsDoNotFit = "DIB3003";
    public const string FilesystemFailed = "DIB3004";
    public const string BootloaderMissing = "DIB3005";
    public const string LayoutCannotBoot = "DIB3006";
    public const string BlockDeviceConfigMalformed = "DIB3010";
    public const string BlockDeviceDuplicateName = "DIB3011";
    public const string BlockDeviceUnknownBase = "DIB3012";
    public const string BlockDeviceDuplicateMountPoint = "DIB3013";
    public const string BlockDeviceUnknownFilesystem = "DIB3014";
    public const string BlockDeviceUnknownPartitionType = "DIB3015";
    public const string BlockDeviceLabelTooLong = "DIB3016";
    public const string BlockDeviceWrongBase = "DIB3017";
    public const string BlockDeviceCycle = "DIB3018";
    public const string BlockDeviceDuplicateLabel = "DIB3019";
    public const string BlockDeviceConfigNotFound = "DIB3020";
    public const string LvmNotAvailable = "DIB3021";
    public const string FilesystemContentUnsupported = "DIB3030";
    public const string FilesystemBadUuid = "DIB3031";

    public const string ConversionFailed = "DIB4001";
    public const string ImageIndexInputUnreadable = "DIB4002";
    public const string RamdiskTooLarge = "DIB4003";
    public const string ContainerPushFailed = "DIB4004";
    // A warning, as x9xx codes are: ContainerTag still works.
    public const string ContainerTagDeprecated = "DIB4901";
    /// <summary>Warning: a cloud element (gce, azure, ec2) with no output format that platform imports.</summary>
    public const string CloudFormatNotImported = "DIB4902";

    public const string MissingHostTools = "DIB5001";
    public const string NotRoot = "DIB5002";
    public const string DiskFull = "DIB5003";
    public const string ForeignArchitecture = "DIB5004";
    // Raised by Sdk.targets (_DibCheckHost), before any task of the SDK runs.
    public const string NotLinux = "DIB5005";
    public const string HostToolTooOld = "DIB5006";
    /// <summary>A build as an ordinary user on a host that allows no user namespace.</summary>
    public const string UserNamespacesDisabled = "DIB5007";
    /// <summary>A build as an ordinary user who has no subordinate id range (or one too small).</summary>
    public const string NoSubordinateIds = "DIB5008";
    public const string TreePathIsLink = "DIB5050";

    public const string ProjectBuildRunning = "DIB6001";
    public const string CacheWriteFailed = "DIB6002";
    public const string CacheRestoreFailed = "DIB6003";

    // A warning, as x9xx codes are: the corrupt entry is removed and the stage rebuilt.
    public const string CacheEntryCorrupt = "DIB6901";
}
