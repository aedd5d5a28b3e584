namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// The host state a build must not change: the mount table, attached loop devices, and owner,
/// group and mode of every entry of /dev.
/// </summary>
internal sealed record HostSnapshot(IReadOnlyList<string> Mounts, IReadOnlyList<string> LoopDevices, IReadOnlyList<string> DevEntries)
{
    public static HostSnapshot Take() => new(
        [.. File.ReadAllLines("/proc/self/mounts").Order(StringComparer.Ordinal)],
        [.. Directory.EnumerateDirectories("/sys/block", "loop*")
            .Where(d => File.Exists(Path.Combine(d, "loop", "backing_file")))
            .Select(d => Path.GetFileName(d) + " " + File.ReadAllText(Path.Combine(d, "loop", "backing_file")).Trim())
            .Order(StringComparer.Ordinal)],
        [.. Command.RunChecked("find", "/dev", "-maxdepth", "1", "-printf", "%p %u %g %m %y\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)]);

    /// <summary>Fails the test with the lines that differ.</summary>
    public void AssertUnchangedSince(HostSnapshot before)
    {
        AssertSame("mount table", before.Mounts, Mounts);
        AssertSame("loop devices", before.LoopDevices, LoopDevices);
        AssertSame("/dev entries", before.DevEntries, DevEntries);
    }

    private static void AssertSame(string what, IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var added = after.Except(before).ToList();
        var removed = before.Except(after).ToList();
        if (added.Count > 0 || removed.Count > 0)
            Assert.Fail($"The build changed the host's {what}.\nAdded:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}");
    }
}
