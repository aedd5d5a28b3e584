namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// <c>local_loop</c>: an image file used as a disk. The node called <c>image0</c> is the disk that becomes the output.
/// </summary>
/// <param name="Name">The image's name; the file is <c>NAME.raw</c>.</param>
/// <param name="Size">The image's size (absolute), or null for the build's size (<c>ImageSize</c> or the computed one).</param>
/// <param name="Directory">Where the image file is created, or null for the build's folder.</param>
/// <param name="BlockSize">The logical sector size, 512 or 4096, or null for the build's default (512).</param>
/// <param name="SourceLine">The line that declared the node.</param>
public sealed record LocalLoopNode(string Name, SizeExpression? Size, string? Directory, int? BlockSize, int SourceLine)
    : BlockDeviceNode(Name, SourceLine)
{
    /// <summary>The YAML key.</summary>
    public const string KindName = "local_loop";

    /// <summary>The image that becomes the build's output.</summary>
    public const string OutputImageName = "image0";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override IReadOnlyList<string> DependsOn => [];
}
