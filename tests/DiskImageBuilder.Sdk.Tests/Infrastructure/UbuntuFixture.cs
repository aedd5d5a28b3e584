using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// What the Ubuntu tests build against: by default a fixture made by Fixtures/ubuntu-fixture.sh (an apt archive
/// in Ubuntu's layout and cloud image folders, signed with a key made for this run) served on the loopback
/// interface by python3's http.server; or the real services when DIB_TEST_UBUNTU_MIRROR (the archive) and
/// DIB_TEST_UBUNTU_CLOUD_IMAGES (the release's cloud image folder) name them, verified with the elements' own keys.
/// </summary>
internal sealed class UbuntuFixture : IDisposable
{
    public const string Release = "noble";

    private readonly Process? _server;

    private UbuntuFixture(string directory, Process? server, string mirror, string cloudImages, string? keyring, int port)
    {
        Directory = directory;
        _server = server;
        Mirror = mirror;
        CloudImages = cloudImages;
        Keyring = keyring;
        Port = port;
    }

    public string Directory { get; }

    /// <summary>The archive URL for DistributionMirror.</summary>
    public string Mirror { get; }

    /// <summary>The cloud image folder for DIB_CLOUD_IMAGES.</summary>
    public string CloudImages { get; }

    /// <summary>The fixture's key for DIB_APT_KEYRING and DIB_CLOUD_IMAGES_KEYRING; null against the real services.</summary>
    public string? Keyring { get; }

    /// <summary>The fixture server's port (0 against the real services).</summary>
    public int Port { get; }

    public bool IsLocal => _server is not null;

    /// <summary>A cloud image folder of the fixture: good, badsig (SHA256SUMS changed after signing) or tampered (the image changed).</summary>
    public string CloudFolder(string name) => $"http://127.0.0.1:{Port}/cloud/{name}";

    public static UbuntuFixture Start(string root)
    {
        var realMirror = Environment.GetEnvironmentVariable("DIB_TEST_UBUNTU_MIRROR");
        var realCloud = Environment.GetEnvironmentVariable("DIB_TEST_UBUNTU_CLOUD_IMAGES");
        if (!string.IsNullOrEmpty(realMirror) && !string.IsNullOrEmpty(realCloud))
            return new UbuntuFixture(root, null, realMirror, realCloud, null, 0);

        var directory = Path.Combine(root, "ubuntu-fixture");
        // The downloaded .deb files are kept across runs, beside the runs' own folders.
        var debs = Path.Combine(Path.GetDirectoryName(root)!, "ubuntu-fixture-debs");
        var keyrings = Path.Combine(Repository.Root, "sdk", "DiskImageBuilder.Sdk", "elements", "ubuntu-common", "keyrings");
        // In a mount namespace of its own: mmdebstrap's mounts in its chroot are never seen by another test's host snapshot.
        Command.RunChecked("unshare", "--mount", "--propagation", "private", "bash",
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "ubuntu-fixture.sh"), directory, debs, Release, keyrings);

        var port = FreePort();
        var server = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var fixture = new UbuntuFixture(directory, server, $"http://127.0.0.1:{port}/archive", $"http://127.0.0.1:{port}/cloud/good",
            Path.Combine(directory, "archive-key.gpg"), port);
        fixture.WaitUntilServing();
        return fixture;
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

    private void WaitUntilServing()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (http.GetAsync($"{Mirror}/dists/{Release}/InRelease").GetAwaiter().GetResult().IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(200);
        }
        throw new InvalidOperationException($"the fixture server on port {Port} did not answer");
    }

    public void Dispose()
    {
        if (_server is null)
            return;
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }
        _server.Dispose();
    }
}
