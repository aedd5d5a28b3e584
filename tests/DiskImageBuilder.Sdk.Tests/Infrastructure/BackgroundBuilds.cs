namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// Starts, when the test run starts, the work that runs beside the tests: the loopback fixtures of the Ubuntu and
/// RPM-family tests; the image builds of the fixtures
/// (<see cref="FixtureBuild{T}"/>), one at a time in the order their classes run, so that a class's build is
/// done or under way while the classes before it boot their images (a plain-emulation boot keeps one core busy,
/// a build mostly one; the host has two); and, with DIB_TEST_FOREIGN_ARCHS=1, the emulated builds and boots of
/// <see cref="ForeignArchitectureBuild"/>. Only in a run of the whole suite: a run with a filter (one class, one
/// category) starts nothing it may not need, and each class then builds when it runs.
/// The RPM-family classes' builds are in the queue too (about 4 minutes): at the run's end the foreground, not the
/// queue, is the critical path (the queue was done 7 minutes before the foreground in stop 35's CI), so the queue
/// takes them while the foreground boots.
/// A test whose checks are about time (how fast a build stops) calls <see cref="Pause"/> and
/// <see cref="Resume"/>, so that no fixture build runs beside it; the queue stands still meanwhile, so keep that short.
/// The emulated architectures run only with DIB_TEST_FOREIGN_ARCHS=1: on the 2-core reference host their build
/// and boots take about half an hour of one core, which the 45-minute budget of the default suite does not leave
/// (the figures are in the note of issue 12).
/// </summary>
[TestClass]
public static class BackgroundBuilds
{
    // Held by the queue while one of its builds runs, and by a class that wants none beside it.
    private static readonly SemaphoreSlim Slot = new(1, 1);

    // Reset while a class has paused the queue, so that the queue takes no new build even when it could get the slot
    // before the pausing class wakes up.
    private static readonly ManualResetEventSlim NotPaused = new(true);

    private static Task s_queue = Task.CompletedTask;

    private static Task s_servers = Task.CompletedTask;

    public static bool ForeignArchitecturesWanted => Environment.GetEnvironmentVariable("DIB_TEST_FOREIGN_ARCHS") == "1";

    /// <summary>The fixture builds in the order their classes run (alphabetical).</summary>
    private static IEnumerable<IFixtureBuild> Queue() =>
    [
        CloudImageTests.Fixture,
        CloudInitBootTests.Fixture,
        DebianVmTests.Fixture,
        DebianVmTests.RebuildFixture,
        DibElementsUnmodifiedTests.Fixture,
        EfiLayoutTests.Fixture,
        EverydayElementsBootTests.Fixture,
        GentooTests.Fixture,
        GptLayoutTests.Fixture,
        MultiPartitionLayoutTests.Fixture,
        RamdiskBootTests.Fixture,
        RootlessBuildTests.Fixture,
        RpmFamilyCloudImageTests.Fixture,
        RpmFamilyContainerTests.Fixture,
        RpmFamilyMinimalTests.Fixture,
        UbuntuImageTests.MinimalFixture,
        UbuntuImageTests.CloudFixture,
    ];

    [AssemblyInitialize]
    public static void Start(TestContext context)
    {
        _ = context;
        var arguments = Environment.GetCommandLineArgs();
        var filtered = arguments.Any(a => a.Contains("filter", StringComparison.OrdinalIgnoreCase) || a == "--list-tests");
        if (filtered || Environment.GetEnvironmentVariable("DIB_TEST_BACKGROUND_BUILDS") == "0")
            return;
        if (ForeignArchitecturesWanted)
            ForeignArchitectureBuild.Start();
        // The loopback fixtures of the Ubuntu and RPM-family tests (an apt archive and cloud image folder, a registry
        // image and RPM repositories, made with mmdebstrap): made at the start, while the foreground mostly waits for
        // the first fixture build, rather than inside the queue's Ubuntu build or in the foreground later. A failure is
        // kept by the Lazy and thrown in the class that needs it.
        s_servers = Task.Run(() =>
        {
            _ = UbuntuImageTests.Server.Value;
            _ = RpmFamilyContainerTests.Server.Value;
        });
        s_queue = Task.Run(async () =>
        {
            foreach (var fixture in Queue())
            {
                NotPaused.Wait();
                await Slot.WaitAsync();
                try
                {
                    await fixture.StartAsync();
                }
                finally
                {
                    Slot.Release();
                }
            }
        });
    }

    /// <summary>Waits for the fixture builds started here (each class waits for its own; this is for the run's end).</summary>
    public static void WaitForFixtures()
    {
        // A fixture server that failed to start is the failure of its class, not of the run's end.
        s_servers.ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
        s_queue.GetAwaiter().GetResult();
    }

    /// <summary>Waits until the fixture build under way (if any) is done and starts no other until <see cref="Resume"/>.</summary>
    public static void Pause()
    {
        NotPaused.Reset();
        Slot.Wait();
    }

    public static void Resume()
    {
        Slot.Release();
        NotPaused.Set();
    }
}
