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

    private readonly LoopbackHttpServer? _server;

    private UbuntuFixture(string directory, LoopbackHttpServer? server, string mirror, string cloudImages, string? keyring, int port)
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

        var server = LoopbackHttpServer.Start(directory, $"archive/dists/{Release}/InRelease");
        var port = server.Port;
        var fixture = new UbuntuFixture(directory, server, $"http://127.0.0.1:{port}/archive", $"http://127.0.0.1:{port}/cloud/good",
            Path.Combine(directory, "archive-key.gpg"), port);
        return fixture;
    }

    public void Dispose() => _server?.Dispose();
}
