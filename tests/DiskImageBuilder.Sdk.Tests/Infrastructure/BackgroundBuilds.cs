namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// Starts, when the test run starts, the work that runs beside the other tests: the emulated builds and boots
/// of <see cref="ForeignArchitectureBuild"/>. Only in a run of the whole suite: a run with a filter (one class, one
/// category) starts nothing it may not need, and the class then builds when it runs.
/// The emulated architectures run only with DIB_TEST_FOREIGN_ARCHS=1: on the 2-core reference host their build
/// and boots take about half an hour of one core, which the 45-minute budget of the default suite does not leave
/// (the figures are in the note of issue 12).
/// </summary>
[TestClass]
public static class BackgroundBuilds
{
    public static bool ForeignArchitecturesWanted => Environment.GetEnvironmentVariable("DIB_TEST_FOREIGN_ARCHS") == "1";

    [AssemblyInitialize]
    public static void Start(TestContext context)
    {
        _ = context;
        var arguments = Environment.GetCommandLineArgs();
        var filtered = arguments.Any(a => a.Contains("filter", StringComparison.OrdinalIgnoreCase) || a == "--list-tests");
        if (!filtered && ForeignArchitecturesWanted)
            ForeignArchitectureBuild.Start();
    }
}
