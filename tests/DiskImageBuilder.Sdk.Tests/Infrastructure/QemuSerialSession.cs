using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// A QEMU machine (plain emulation, TCG) driven through its serial console: what the guest prints is
/// read character by character (prompts such as "login: " end without a newline), what the test types
/// goes to QEMU's stdin (<c>-serial mon:stdio</c>). Disposing kills QEMU and writes the console log.
/// </summary>
internal sealed partial class QemuSerialSession : IDisposable
{
    private readonly Process _process;
    private readonly Task _reader;
    private readonly Task<string> _errors;
    private readonly StringBuilder _console = new();
    private readonly Stopwatch _clock;
    private readonly string _consoleLog;
    private int _consumed;
    private int _commands;
    private bool _disposed;

    private QemuSerialSession(Process process, Stopwatch clock, string consoleLog)
    {
        _process = process;
        _clock = clock;
        _consoleLog = consoleLog;
        _reader = Task.Run(ReadConsoleAsync);
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Time since QEMU started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Everything the console printed so far.</summary>
    public string Transcript
    {
        get
        {
            lock (_console)
                return _console.ToString();
        }
    }

    /// <summary>Boots <paramref name="image"/> with 1 GiB of memory; <paramref name="extraArguments"/> add devices (e.g. a NIC).</summary>
    public static QemuSerialSession Start(string image, string format, string consoleLog, params string[] extraArguments) =>
        Launch(consoleLog, 1024, ["-drive", $"file={image},format={format},if=virtio", .. extraArguments]);

    /// <summary>Boots a machine with no disk at all (a ramdisk given with -kernel and -initrd in <paramref name="arguments"/>).</summary>
    public static QemuSerialSession StartDiskless(string consoleLog, int memoryMiB, params string[] arguments) =>
        Launch(consoleLog, memoryMiB, arguments);

    private static QemuSerialSession Launch(string consoleLog, int memoryMiB, string[] arguments)
    {
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-accel", "tcg", "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-nographic", "-serial", "mon:stdio", "-no-reboot", .. arguments])
            start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("qemu-system-x86_64 did not start");
        process.StandardInput.AutoFlush = true;
        return new QemuSerialSession(process, clock, consoleLog);
    }

    /// <summary>
    /// Waits until one of <paramref name="texts"/> appears in output not yet consumed; consumes it and
    /// returns which one matched and the output before it.
    /// </summary>
    public (int Match, string Before) WaitForAny(TimeSpan timeout, params string[] texts)
    {
        var deadline = _clock.Elapsed + timeout;
        lock (_console)
        {
            while (true)
            {
                var unread = _console.ToString(_consumed, _console.Length - _consumed);
                var best = -1;
                var bestAt = int.MaxValue;
                for (var i = 0; i < texts.Length; i++)
                {
                    var at = unread.IndexOf(texts[i], StringComparison.Ordinal);
                    if (at >= 0 && at < bestAt)
                        (best, bestAt) = (i, at);
                }
                if (best >= 0)
                {
                    _consumed += bestAt + texts[best].Length;
                    return (best, unread[..bestAt]);
                }
                var remaining = deadline - _clock.Elapsed;
                if (_reader.IsCompleted || remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException(
                        $"No {string.Join(" or ", texts.Select(t => $"'{Printable(t)}'"))} on the serial console after " +
                        $"{_clock.Elapsed.TotalSeconds:F0} s{(_reader.IsCompleted ? " (QEMU ended)" : "")}; last output:\n" +
                        Tail(_console.ToString(), 40));
                }
                Monitor.Wait(_console, remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Waits for <paramref name="text"/>; returns the output before it.</summary>
    public string WaitFor(string text, TimeSpan timeout) => WaitForAny(timeout, text).Before;

    /// <summary>Types <paramref name="text"/> on the serial console.</summary>
    public void Type(string text) => _process.StandardInput.Write(text);

    /// <summary>Logs in at the login prompt that is already on the console; fails the test on "Login incorrect".</summary>
    public void LogIn(string user, string password, TimeSpan timeout)
    {
        Type(user + "\n");
        WaitFor("Password: ", timeout);
        Type(password + "\n");
        if (WaitForAny(timeout, "$ ", "# ", "Login incorrect").Match == 2)
            Assert.Fail($"Login as {user} was refused on the serial console:\n{Tail(Transcript, 20)}");
    }

    /// <summary>
    /// Logs in as root with a password that dynamic-login sets from the kernel command line, which may still be
    /// running when the prompt shows: tries up to five times, then fails the test.
    /// </summary>
    public void LogInAsRootOnceDynamicLoginRan(string password)
    {
        for (var attempt = 1; ; attempt++)
        {
            Type("root\n");
            WaitFor("Password: ", TimeSpan.FromSeconds(60));
            Type(password + "\n");
            if (WaitForAny(TimeSpan.FromSeconds(60), "# ", "Login incorrect").Match == 0)
                return;
            if (attempt == 5)
                Assert.Fail("root's password from rootpwd= was refused five times: " + Tail(Transcript, 40));
            Thread.Sleep(TimeSpan.FromSeconds(5));
            WaitFor("login: ", TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the logged-in shell and returns its exit status and output
    /// (stdout and stderr, as the terminal shows them). Markers printed around it delimit the output;
    /// they are split in the typed line, so the echo of the command never matches them.
    /// </summary>
    public ProcessResultText Run(string command, TimeSpan timeout)
    {
        var id = ++_commands;
        Type($"printf '%s%s\\n' __DIB_ BEGIN_{id}__; {command}; printf '\\n%s%s %s\\n' __DIB_ END_{id}__ \"$?\"\n");
        WaitFor($"__DIB_BEGIN_{id}__\r\n", timeout);
        var output = WaitFor($"\r\n__DIB_END_{id}__ ", timeout);
        var status = WaitFor("\r\n", timeout).Trim();
        return new ProcessResultText(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Clean(output));
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _reader.Wait(TimeSpan.FromSeconds(10));
        var errors = _errors.Wait(TimeSpan.FromSeconds(10)) ? _errors.Result : "";
        File.WriteAllText(_consoleLog, Transcript + (errors.Length > 0 ? "\n--- qemu stderr ---\n" + errors : ""));
        _process.Dispose();
    }

    /// <summary>The output as a test wants to read it: Unix line ends, no terminal escape sequences.</summary>
    private static string Clean(string text) => TerminalEscape().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "").Trim('\n');

    private static string Printable(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private async Task ReadConsoleAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (_console)
            {
                _console.Append(buffer, 0, read);
                Monitor.PulseAll(_console);
            }
        }
        lock (_console)
            Monitor.PulseAll(_console);
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex TerminalEscape();
}
