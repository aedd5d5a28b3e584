namespace DiskImageBuilder.BlockDevice;

/// <summary>
/// A partition as a GPT layout asks for it, before it is placed on the disk by <see cref="GptLayout.Plan"/>.
/// </summary>
/// <param name="Name">
/// The partition's name in the layout. It becomes the GPT partition name (PARTLABEL), as in diskimage-builder,
/// so it is at most <see cref="GptLayout.MaxNameLength"/> UTF-16 code units; error messages use it too.
/// </param>
/// <param name="SizeBytes">
/// The wanted size in bytes, rounded up to a whole <see cref="GptLayout.AlignmentBytes"/> when placed.
/// Zero or less means "the rest of the disk", which only the last partition may ask for.
/// </param>
/// <param name="Type">An sgdisk type code such as <c>8300</c> or <c>EF00</c>, or a type GUID; see <see cref="GptPartitionType"/>.</param>
/// <param name="Attributes">The attribute bits, e.g. <see cref="GptPartitionAttributes.LegacyBiosBootable"/>.</param>
/// <param name="UniqueGuid">The partition's GUID (PARTUUID), or null for a new random one.</param>
public sealed record GptPartitionRequest(string Name, long SizeBytes, string Type, ulong Attributes = 0, Guid? UniqueGuid = null);
