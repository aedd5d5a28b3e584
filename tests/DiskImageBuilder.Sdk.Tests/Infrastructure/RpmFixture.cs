namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// What the RPM-family container tests build against: by default the fixture of Fixtures/rpm-fixture.sh, an RPM-family
/// userland image pushed to a registry on the loopback interface (Debian's docker-registry) as
/// <c>fedora:RELEASE</c> (and as <c>fedora:RELEASE-arm64</c>, said to be for arm64 only), a signed RPM repository (and a wrongly signed one)
/// vendor-shaped cloud images of the same userland (Fixtures/cloud-image-fixture.sh) and a Gentoo mirror (Fixtures/gentoo-fixture.sh) served by python3's http.server; or,
/// when DIB_TEST_RPM_REGISTRY names a registry that holds Fedora's image (<c>fedora:RELEASE</c>), that registry,
/// with the image's own repositories.
/// </summary>
internal sealed class RpmFixture : IDisposable
{
    public const string Release = "43";

    private readonly LoopbackHttpServer? _server;
    private readonly LocalRegistry? _registry;

    private RpmFixture(string directory, LocalRegistry? registry, string registryAddress, LoopbackHttpServer? server, int port)
    {
        Directory = directory;
        _registry = registry;
        Registry = registryAddress;
        _server = server;
        Port = port;
    }

    public string Directory { get; }

    /// <summary>host:port of the registry, for DIB_CONTAINER_REGISTRY.</summary>
    public string Registry { get; }

    public int Port { get; }

    /// <summary>Whether this is the loopback fixture (its packages and repositories), not the real registry.</summary>
    public bool IsLocal => _registry is not null;

    /// <summary>A .repo file for DIB_YUM_REPO_CONF: "repo" (signed with the key it names) or "badsig" (signed by another key).</summary>
    public string RepoFile(string name) => Path.Combine(Directory, $"dib-fixture-{name}.repo");

    /// <summary>
    /// A folder for DIB_YUM_MINIMAL_BOOTSTRAP_REPOS with one .repo file: "repo" (signed with the key it names) or
    /// "badsig" (signed by another key), its gpgkey the repository's key by URL; or "nokey" (gpgcheck on, no key).
    /// </summary>
    public string BootstrapRepos(string name) => Path.Combine(Directory, $"bootstrap-{name}");

    /// <summary>The URL of a repository ("repo", "badsig" or "badmeta"), and of the key its good packages are signed with.</summary>
    public string RepoUrl(string name) => $"http://127.0.0.1:{Port}/{name}";

    public string KeyUrl => $"http://127.0.0.1:{Port}/repo/RPM-GPG-KEY-dib-fixture";

    /// <summary>The key the repository and the good cloud image checksum files are signed with, as an armored file.</summary>
    public string KeyFile => Path.Combine(Directory, "repo", "RPM-GPG-KEY-dib-fixture");

    /// <summary>
    /// A folder of cloud-image-fixture.sh's vendor images, for DIB_CLOUD_IMAGES: "fedora", "fedora-badsig", "centos",
    /// "centos-badsum" or "backing".
    /// </summary>
    public string CloudImages(string name) => $"http://127.0.0.1:{Port}/cloud-images/{name}";

    /// <summary>A Gentoo mirror of gentoo-fixture.sh, for DIB_DISTRIBUTION_MIRROR: "gentoo", or "gentoo-badsig" (its stage3 list signed by another key).</summary>
    public string GentooMirror(string name) => $"http://127.0.0.1:{Port}/{name}";

    /// <summary>The file of a fixture cloud image, for DIB_LOCAL_IMAGE.</summary>
    public string CloudImageFile(string folder, string file) => Path.Combine(Directory, "cloud-images", folder, file);

    /// <summary>The digest the registry gives for the fixture image's tag.</summary>
    public string Digest() => Command.StandardOutput("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
        $"docker://{Registry}/fedora:{Release}").Trim();

    public static RpmFixture Start(string root)
    {
        var real = Environment.GetEnvironmentVariable("DIB_TEST_RPM_REGISTRY");
        if (!string.IsNullOrEmpty(real))
            return new RpmFixture(root, null, real, null, 0);

        var directory = Path.Combine(root, "rpm-fixture");
        var mirror = HostAptSources.ArchiveFor("bookworm")
            ?? throw new InvalidOperationException("the host's apt sources name no archive for bookworm");
        var debs = Path.Combine(ImageProject.CacheDirectory, "apt", "debian-bookworm-amd64");
        // mmdebstrap mounts /proc, /sys and /dev/pts in its chroot: in a mount namespace of its own, so that no other
        // test (a host snapshot of the mount table) ever sees them.
        Command.RunChecked("unshare", "--mount", "--propagation", "private", "bash",
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "rpm-fixture.sh"), directory, mirror, Release, debs);

        // The vendor cloud images of the fedora, centos and rhel elements, made from the same userland (loop mounts of
        // its own, in a mount namespace that ends with it).
        Command.RunChecked("unshare", "--mount", "--propagation", "private", "bash",
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "cloud-image-fixture.sh"), directory, Release);

        // The Gentoo mirror of the gentoo element (a stage3 and a snapshot made of the same userland).
        Command.RunChecked("bash", Path.Combine(AppContext.BaseDirectory, "Fixtures", "gentoo-fixture.sh"), directory);

        var registry = LocalRegistry.Start(Path.Combine(directory, "registry"));
        RpmFixture? fixture = null;
        try
        {
            Command.RunChecked("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{Path.Combine(directory, "layout")}:image",
                $"docker://{registry.Address}/fedora:{Release}");
            Command.RunChecked("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{Path.Combine(directory, "layout")}:image-arm64",
                $"docker://{registry.Address}/fedora:{Release}-arm64");
            var server = LoopbackHttpServer.Start(directory, "repo/repodata/repomd.xml");
            var port = server.Port;
            fixture = new RpmFixture(directory, registry, registry.Address, server, port);
            foreach (var name in new[] { "repo", "badsig" })
                File.WriteAllText(fixture.RepoFile(name), $"""
                    [dib-fixture-{name}]
                    name=DiskImageBuilder.Sdk test repository ({name})
                    baseurl=http://127.0.0.1:{port}/{name}
                    enabled=1
                    gpgcheck=1
                    gpgkey=http://127.0.0.1:{port}/{name}/RPM-GPG-KEY-dib-fixture

                    """);
            // nokey: gpgcheck on (spelled as dnf also takes it) and no key to check with.
            System.IO.Directory.CreateDirectory(fixture.BootstrapRepos("nokey"));
            File.WriteAllText(Path.Combine(fixture.BootstrapRepos("nokey"), "fixture.repo"),
                $"[dib-fixture-nokey]\nname=No key\nbaseurl=http://127.0.0.1:{port}/repo\ngpgcheck=True\n");
            foreach (var name in new[] { "repo", "badsig" })
            {
                System.IO.Directory.CreateDirectory(fixture.BootstrapRepos(name));
                File.WriteAllText(Path.Combine(fixture.BootstrapRepos(name), "fixture.repo"), $$"""
                    [dib-fixture-bootstrap]
                    name=DiskImageBuilder.Sdk test repository ({{name}}) for Fedora $releasever $basearch
                    baseurl=http://127.0.0.1:{{port}}/{{name}}
                    enabled=1
                    gpgcheck=1
                    gpgkey=http://127.0.0.1:{{port}}/{{name}}/RPM-GPG-KEY-dib-fixture

                    """);
            }
            return fixture;
        }
        catch
        {
            // Nothing of the fixture may keep running when it did not start whole.
            if (fixture is not null)
                fixture.Dispose();
            else
                registry.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _registry?.Dispose();
        _server?.Dispose();
    }
}
