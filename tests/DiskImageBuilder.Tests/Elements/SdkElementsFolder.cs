namespace DiskImageBuilder.Tests.Elements;

/// <summary>The SDK's built-in elements in this checkout (sdk/DiskImageBuilder.Sdk/elements), found above the test binaries.</summary>
internal static class SdkElementsFolder
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    /// <summary>A file or folder of a built-in element, e.g. <c>File("ubuntu", "ubuntu-lib", "cloud-images.bash")</c>.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = System.IO.Path.Combine(dir.FullName, "sdk", "DiskImageBuilder.Sdk", "elements");
            if (Directory.Exists(path))
                return path;
        }
        throw new InvalidOperationException("sdk/DiskImageBuilder.Sdk/elements not found above " + AppContext.BaseDirectory);
    }
}
