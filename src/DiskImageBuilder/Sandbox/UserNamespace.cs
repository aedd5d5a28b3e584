using System.Globalization;
using System.Reflection;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Sandbox;

/// <summary>
/// How a build as an ordinary user gets the root a build needs: every command it runs starts in a user namespace
/// (dib-userns.sh) where the user is root (id 0) and ids from 1 on are the user's subordinate ids
/// from /etc/subuid and /etc/subgid. Owners in the tree are then the ones a root build makes, seen from inside; seen
/// from the host they are the user (for root) and the subordinate range (for every other id).
/// A root build uses none of this: <see cref="Current"/> is null.
/// </summary>
public sealed class UserNamespace
{
    /// <summary>The fewest subordinate ids that cover a Debian tree's owners (nobody is 65534).</summary>
    public const uint MinimumIds = 65536;

    private static readonly Lazy<UserNamespace?> ForThisProcess = new(Detect);
    private static readonly Lazy<string> WrapperScript = new(ReadWrapper);

    /// <summary>The namespace of <paramref name="user"/> with these ranges (tests; a build uses <see cref="Current"/>).</summary>
    internal static UserNamespace For(string user, uint uid, uint gid, IdRange? uids, IdRange? gids) => new(user, uid, gid, uids, gids);

    private UserNamespace(string user, uint uid, uint gid, IdRange? uids, IdRange? gids)
    {
        User = user;
        Uid = uid;
        Gid = gid;
        SubordinateUids = uids;
        SubordinateGids = gids;
    }

    /// <summary>The namespace a build of this process runs its commands in; null when the process is root.</summary>
    public static UserNamespace? Current => ForThisProcess.Value;

    /// <summary>"root" or "rootless (user NAME, uid N)": how the build gets root, for the log and the stage keys.</summary>
    public static string ModeDescription => Current is { } ns ? $"rootless (user {ns.User}, uid {ns.Uid})" : "root";

    public string User { get; }
    public uint Uid { get; }
    public uint Gid { get; }

    /// <summary>The user's first subordinate uid range, or null when /etc/subuid gives none.</summary>
    public IdRange? SubordinateUids { get; }

    /// <summary>The user's first subordinate gid range, or null when /etc/subgid gives none.</summary>
    public IdRange? SubordinateGids { get; }

    /// <summary>The id inside the namespace of host uid <paramref name="hostUid"/> (65534, nobody, when unmapped).</summary>
    public uint UidInside(uint hostUid) => Inside(hostUid, Uid, SubordinateUids);

    /// <summary>The id inside the namespace of host gid <paramref name="hostGid"/> (65534, nogroup, when unmapped).</summary>
    public uint GidInside(uint hostGid) => Inside(hostGid, Gid, SubordinateGids);

    /// <summary>The command that runs <paramref name="spec"/> inside the namespace, under the same pid.</summary>
    public ProcessSpec Wrap(ProcessSpec spec)
    {
        var uids = SubordinateUids ?? throw NoSubordinateIds("subuid");
        var gids = SubordinateGids ?? throw NoSubordinateIds("subgid");
        string[] map =
        [
            Text(Uid), Text(uids.Start), Text(uids.Count),
            Text(Gid), Text(gids.Start), Text(gids.Count),
        ];
        return spec with { Program = "/bin/bash", Arguments = ["-c", WrapperScript.Value, "dib-userns", .. map, spec.Program, .. spec.Arguments] };
    }

    /// <summary>
    /// Stops the build before any work unless a user namespace with the user's subordinate ids can be made: user
    /// namespaces enabled (DIB5007), a subordinate range of at least 65536 ids for the user (DIB5008). newuidmap and
    /// newgidmap are host tools (DIB5001, package uidmap), checked with the others.
    /// </summary>
    public void Require(ProcessRunner runner) => Require(runner, ReadSysctl);

    /// <summary>As <see cref="Require(ProcessRunner)"/>, with the /proc/sys values read by <paramref name="readSysctl"/> (tests).</summary>
    internal void Require(ProcessRunner runner, Func<string, long?> readSysctl)
    {
        if (readSysctl("/proc/sys/user/max_user_namespaces") is 0)
            throw Disabled("user.max_user_namespaces is 0", "sysctl -w user.max_user_namespaces=15000");
        if (readSysctl("/proc/sys/kernel/unprivileged_userns_clone") is 0)
            throw Disabled("kernel.unprivileged_userns_clone is 0", "sysctl -w kernel.unprivileged_userns_clone=1");
        if (SubordinateUids is null || SubordinateUids.Count < MinimumIds)
            throw NoSubordinateIds("subuid");
        if (SubordinateGids is null || SubordinateGids.Count < MinimumIds)
            throw NoSubordinateIds("subgid");
        // What the files say may still be refused (an AppArmor policy, a seccomp filter): one real namespace tells.
        var output = new List<string>();
        // The runner runs every command through Wrap.
        var probe = runner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "id -u"]), CancellationToken.None, output.Add)
            .GetAwaiter().GetResult();
        if (!probe.Succeeded || output.FirstOrDefault()?.Trim() != "0")
            throw Disabled($"making one failed ({string.Join(" ", probe.Tail.Concat(output))})",
                "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 where AppArmor restricts them, or build as root");
    }

    private DibException NoSubordinateIds(string file) => new(ErrorCodes.NoSubordinateIds,
        $"A build as an ordinary user (here {User}, uid {Uid}) maps the image's owners to the user's subordinate ids, and /etc/{file} " +
        $"gives {User} {(file == "subuid" ? Describe(SubordinateUids) : Describe(SubordinateGids))}; it needs a range of at least {MinimumIds}. " +
        $"As root, run: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {User} (choose a range no other user has), or build as root.");

    private static DibException Disabled(string why, string fix) => new(ErrorCodes.UserNamespacesDisabled,
        $"A build as an ordinary user runs in a user namespace, and this host does not allow one: {why}. As root, run: {fix}.");

    private static string Describe(IdRange? range) =>
        range is null ? "none" : $"only {range.Count} (from {range.Start})";

    private static uint Inside(uint host, uint own, IdRange? range) =>
        host == own ? 0
        : range is not null && host >= range.Start && host - range.Start < range.Count ? host - range.Start + 1
        : 65534;

    private static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);

    private static long? ReadSysctl(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var value) ? value : null;

    private static UserNamespace? Detect()
    {
        var (uid, gid) = ProcessIds();
        if (uid == 0)
            return null;
        var user = Environment.UserName;
        return new UserNamespace(user, uid, gid,
            IdRange.FirstFor(SafeRead("/etc/subuid"), user, uid), IdRange.FirstFor(SafeRead("/etc/subgid"), user, uid));
    }

    private static string SafeRead(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    /// <summary>The effective uid and gid, from the Uid and Gid lines of /proc/self/status.</summary>
    internal static (uint Uid, uint Gid) ProcessIds()
    {
        uint Effective(string prefix) => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
        return (Effective("Uid:"), Effective("Gid:"));
    }

    private static string ReadWrapper()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DiskImageBuilder.Sandbox.dib-userns.sh")
            ?? throw new InvalidOperationException("Missing embedded sandbox script dib-userns.sh");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
