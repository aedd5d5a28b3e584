namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>Paths of the repository under test, found from the test assembly's folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SdkProject => Path.Combine(Root, "sdk", "DiskImageBuilder.Sdk", "DiskImageBuilder.Sdk.csproj");

    public static string TemplatesProject => Path.Combine(Root, "sdk", "DiskImageBuilder.Templates", "DiskImageBuilder.Templates.csproj");

    public static string Samples => Path.Combine(Root, "samples");

    public static string TestElements => Path.Combine(AppContext.BaseDirectory, "TestElements");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiskImageBuilder.Sdk.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DiskImageBuilder.Sdk.sln above {AppContext.BaseDirectory}");
    }
}
