using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// A container registry on the loopback interface for one test class: Debian's docker-registry (the CNCF distribution
/// registry), storing under the test's folder, optionally with basic authentication from an htpasswd file. Stopped, with
/// nothing left running, when disposed.
/// </summary>
internal sealed class LocalRegistry : IDisposable
{
    private readonly Process _process;

    private LocalRegistry(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>host:port, as ContainerRegistry takes it.</summary>
    public string Address { get; }

    public static LocalRegistry Start(string folder, (string User, string Password)? basicAuth = null)
    {
        Directory.CreateDirectory(folder);
        var port = LoopbackHttpServer.FreePort();
        var auth = "";
        if (basicAuth is { } credentials)
        {
            var htpasswd = Path.Combine(folder, "htpasswd");
            Command.RunChecked("htpasswd", "-Bbc", htpasswd, credentials.User, credentials.Password);
            auth = $"auth:\n  htpasswd:\n    realm: dib-sdk-test\n    path: {htpasswd}\n";
        }
        var config = Path.Combine(folder, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(folder, "storage")}
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var start = new ProcessStartInfo("docker-registry", ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, $"127.0.0.1:{port}");
        registry.WaitUntilServing();
        return registry;
    }

    private void WaitUntilServing()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}");
            try
            {
                var status = http.GetAsync($"http://{Address}/v2/").GetAwaiter().GetResult().StatusCode;
                if (status is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            Thread.Sleep(200);
        }
        Dispose();
        throw new TimeoutException($"docker-registry did not answer on {Address} in 30 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
