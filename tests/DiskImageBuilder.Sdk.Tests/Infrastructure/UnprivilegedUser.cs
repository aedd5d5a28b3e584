using System.Globalization;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// An ordinary user the test creates (useradd, as the run is root), with a home and, unless asked otherwise, a
/// subordinate id range of its own in /etc/subuid and /etc/subgid: what README's "Building without root" asks of a machine.
/// The user stays after the run (another run reuses it); nothing else of the host changes.
/// </summary>
internal sealed class UnprivilegedUser
{
    private const uint RangeSize = 65536;

    private UnprivilegedUser(string name, uint uid, uint gid, string home)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
        Home = home;
    }

    public string Name { get; }
    public uint Uid { get; }
    public uint Gid { get; }
    public string Home { get; }

    /// <summary>The user <paramref name="name"/>, created if missing; with a subordinate range when <paramref name="withSubordinateIds"/>, else none.</summary>
    public static UnprivilegedUser Ensure(string name, bool withSubordinateIds = true)
    {
        foreach (var file in new[] { "/etc/subuid", "/etc/subgid" }.Where(f => !File.Exists(f)))
            File.WriteAllText(file, "");
        if (Command.Run("id", ["-u", name]).ExitCode != 0)
            Command.RunChecked("useradd", "--create-home", "--shell", "/bin/bash", name);
        // useradd may give a new user a range by itself (where /etc/subuid exists); the test decides. A range that is
        // already right stays: a build of the user may be running.
        var hasRanges = HasRange("/etc/subuid", name) && HasRange("/etc/subgid", name);
        if (withSubordinateIds != hasRanges)
        {
            Command.RunChecked("usermod", "--del-subuids", "1-4294967294", "--del-subgids", "1-4294967294", name);
            if (withSubordinateIds)
            {
                var start = FreeRangeStart();
                var range = $"{start}-{start + RangeSize - 1}";
                Command.RunChecked("usermod", "--add-subuids", range, "--add-subgids", range, name);
            }
        }
        uint Number(string option) => uint.Parse(Command.StandardOutput("id", option, name).Trim(), CultureInfo.InvariantCulture);
        var home = Command.StandardOutput("getent", "passwd", name).Trim().Split(':')[5];
        return new UnprivilegedUser(name, Number("-u"), Number("-g"), home);
    }

    /// <summary>Runs a program as this user (setpriv: its uid, gid and groups), with HOME set to its home.</summary>
    public IReadOnlyList<string> RunUnder =>
        ["setpriv", $"--reuid={Uid}", $"--regid={Gid}", "--init-groups", "env", $"HOME={Home}", $"USER={Name}", $"LOGNAME={Name}"];

    /// <summary>Gives the user <paramref name="path"/> and everything below it.</summary>
    public void Own(string path) => Command.RunChecked("chown", "-R", $"{Uid}:{Gid}", path);

    /// <summary>Whether <paramref name="file"/> gives <paramref name="name"/> a range of at least 65536 ids.</summary>
    private static bool HasRange(string file, string name) =>
        File.Exists(file) && File.ReadAllLines(file).Select(l => l.Split(':'))
            .Any(f => f.Length == 3 && f[0] == name && uint.TryParse(f[2], CultureInfo.InvariantCulture, out var count) && count >= RangeSize);

    /// <summary>The first id after every range /etc/subuid and /etc/subgid give, at 100000 or above.</summary>
    private static uint FreeRangeStart()
    {
        uint end = 100000;
        foreach (var file in new[] { "/etc/subuid", "/etc/subgid" }.Where(File.Exists))
            foreach (var fields in File.ReadAllLines(file).Select(l => l.Split(':')).Where(f => f.Length == 3))
                if (uint.TryParse(fields[1], CultureInfo.InvariantCulture, out var start) && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out var count))
                    end = Math.Max(end, start + count);
        return end;
    }
}
