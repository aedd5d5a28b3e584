using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// A fixture folder served on 127.0.0.1 by python3's http.server, as the tests' stand-in for an archive, mirror or
/// image server the build hosts cannot reach. Started only once it answers; stopped with its process tree.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly Process _process;

    private LoopbackHttpServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Serves <paramref name="directory"/> and waits until <paramref name="probe"/> (a path in it) answers.</summary>
    public static LoopbackHttpServer Start(string directory, string probe)
    {
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", directory,
            port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LoopbackHttpServer(process, port);
        try
        {
            server.WaitFor(probe);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>A loopback port that nothing listens on now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitFor(string probe)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (http.GetAsync($"http://127.0.0.1:{Port}/{probe}").GetAwaiter().GetResult().IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(200);
        }
        throw new InvalidOperationException($"the fixture server on port {Port} did not answer for {probe}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
