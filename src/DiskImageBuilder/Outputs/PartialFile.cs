namespace DiskImageBuilder.Outputs;

/// <summary>
/// Writes an output under "NAME.partial" and renames it into place only when complete, so an interrupted or failed
/// build never leaves a truncated file under the output's name for the next incremental build to trust.
/// </summary>
internal static class PartialFile
{
    public const string Suffix = ".partial";

    /// <summary>Image archives are written in large sequential pieces.</summary>
    private const int BufferSize = 1024 * 1024;

    public static async Task WriteAsync(string outputPath, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var partial = outputPath + Suffix;
        try
        {
            var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            await using (stream)
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
