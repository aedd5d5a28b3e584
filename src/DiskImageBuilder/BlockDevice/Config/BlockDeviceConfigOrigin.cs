namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>Which of diskimage-builder's places a block-device configuration came from, highest precedence first.</summary>
public enum BlockDeviceConfigOrigin
{
    /// <summary>The project's <c>BlockDeviceConfig</c> property: a file path or inline YAML.</summary>
    Property,

    /// <summary>The environment variable <c>DIB_BLOCK_DEVICE_CONFIG</c>: inline YAML or <c>file://PATH</c>.</summary>
    Environment,

    /// <summary>An element's <c>block-device-ARCH.yaml</c> or <c>block-device-default.yaml</c>.</summary>
    Element,

    /// <summary>Nothing supplied one: the root filesystem fills the image, without a partition table.</summary>
    Fallback,
}
