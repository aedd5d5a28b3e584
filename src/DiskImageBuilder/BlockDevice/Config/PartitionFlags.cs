namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>The <c>flags:</c> of a partition.</summary>
[Flags]
public enum PartitionFlags
{
    /// <summary>No flags: on MBR a logical partition.</summary>
    None = 0,

    /// <summary><c>boot</c>: the MBR active flag, or the GPT legacy-BIOS-bootable attribute.</summary>
    Boot = 1,

    /// <summary><c>primary</c>: an MBR primary partition; GPT has no such notion and rejects it.</summary>
    Primary = 2,
}
