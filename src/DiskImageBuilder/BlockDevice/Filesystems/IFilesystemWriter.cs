namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>Creates one kind of filesystem in a region of a disk file, with no mount and no loop device.</summary>
public interface IFilesystemWriter
{
    /// <summary>
    /// Writes the filesystem into the request's region and touches no byte outside it. Fails with DIB3002 when
    /// the content does not fit, and leaves no temporary file behind, also on failure or cancellation.
    /// </summary>
    Task WriteAsync(FilesystemRequest request, CancellationToken cancellationToken);
}
