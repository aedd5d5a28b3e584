namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>A fixture's image build that can start before its test class runs (see <see cref="BackgroundBuilds"/>).</summary>
internal interface IFixtureBuild
{
    string Name { get; }

    /// <summary>Starts the build unless it has started; the task ends when it has (never faults).</summary>
    Task StartAsync();
}

/// <summary>
/// The build of one test class's fixture (project, build and anything else made before the tests look), run once:
/// started by <see cref="BackgroundBuilds"/> while earlier classes run, or by the class itself when it needs the result
/// first. <see cref="Result"/> waits for it and rethrows what the build threw.
/// </summary>
internal sealed class FixtureBuild<T>(string name, Func<T> build) : IFixtureBuild
{
    private readonly Lazy<Task<T>> _task = new(() => Task.Factory.StartNew(build, CancellationToken.None,
        TaskCreationOptions.LongRunning, TaskScheduler.Default));

    public string Name { get; } = name;

    public bool Started => _task.IsValueCreated;

    public T Result => _task.Value.GetAwaiter().GetResult();

    public async Task StartAsync()
    {
        try
        {
            await _task.Value;
        }
        catch (Exception)
        {
            // The class that needs the result sees the exception through Result.
        }
    }
}
