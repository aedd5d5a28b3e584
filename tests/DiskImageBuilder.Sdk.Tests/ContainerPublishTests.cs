using System.Text.Json;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// `dotnet publish` with ContainerRegistry pushes the oci image to a real registry (docker-registry on a loopback port,
/// with and without basic authentication), read back with `skopeo inspect`; a refused push is one DIB4004 that names the
/// registry and its reason and never the credentials. One small image (the test elements' tiny tree) is built once.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class ContainerPublishTests
{
    private const string User = "dib-publisher";
    private static readonly string s_password = "Pw-" + Guid.NewGuid().ToString("N")[..20];
    private static ImageProject s_project = null!;
    private static LocalRegistry s_open = null!;
    private static LocalRegistry s_guarded = null!;

    private static string Body(string extra = "") => $"""
        <PropertyGroup>
          <ImageFormats>oci</ImageFormats>
          <ContainerRepository>dib/tiny</ContainerRepository>
          <ElementsPath>elements</ElementsPath>
          {extra}
        </PropertyGroup>
        <ItemGroup>
          <Element Include="tiny-os" />
        </ItemGroup>
        """;

    [ClassInitialize]
    public static void Start(TestContext context)
    {
        _ = context;
        s_project = ImageProject.Create("publish", Body());
        s_project.AddTestElement("tiny-os");
        // No credential file of the host may help or hinder: skopeo looks in HOME and XDG_RUNTIME_DIR.
        var home = Path.Combine(s_project.Directory, "home");
        Directory.CreateDirectory(home);
        s_project.Environment["HOME"] = home;
        s_project.Environment["XDG_RUNTIME_DIR"] = home;
        s_project.Environment["REGISTRY_AUTH_FILE"] = null;
        s_project.Build().AssertSucceeded();
        s_open = LocalRegistry.Start(Path.Combine(s_project.Directory, "registry-open"));
        s_guarded = LocalRegistry.Start(Path.Combine(s_project.Directory, "registry-auth"), (User, s_password));
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_open?.Dispose();
        s_guarded?.Dispose();
        s_project?.Dispose();
    }

    private static JsonElement Inspect(string registry, string reference, params string[] extra)
    {
        var text = Command.StandardOutput("skopeo", ["inspect", "--tls-verify=false", .. extra, $"docker://{registry}/{reference}"]);
        return JsonDocument.Parse(text).RootElement;
    }

    [TestMethod]
    public void Publish_PushesTheOciImageUnderEveryTag_AndSkopeoReadsItBack()
    {
        var result = s_project.Run("publish", $"-p:ContainerRegistry={s_open.Address}", "-p:ContainerImageTags=1.0%3Blatest");
        result.AssertSucceeded();

        var tagged = Inspect(s_open.Address, "dib/tiny:1.0");
        var latest = Inspect(s_open.Address, "dib/tiny:latest");
        Assert.AreEqual("amd64", tagged.GetProperty("Architecture").GetString());
        Assert.AreEqual("linux", tagged.GetProperty("Os").GetString());
        Assert.AreEqual("publish", tagged.GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString());
        Assert.AreEqual(tagged.GetProperty("Digest").GetString(), latest.GetProperty("Digest").GetString(), "both tags name one manifest");
        CollectionAssert.IsSubsetOf(new[] { "1.0", "latest" }, latest.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()).ToList());
        StringAssert.Contains(result.Output, $"Pushing publish.oci.tar to {s_open.Address}/dib/tiny:1.0");
    }

    [TestMethod]
    public void Publish_WithCredentialsFromTheEnvironment_PushesToARegistryWithBasicAuth_AndLogsNoSecret()
    {
        s_project.Environment["SDK_CONTAINER_REGISTRY_UNAME"] = User;
        s_project.Environment["SDK_CONTAINER_REGISTRY_PWORD"] = s_password;
        try
        {
            var result = s_project.Run("publish", $"-p:ContainerRegistry={s_guarded.Address}", "-p:ContainerImageTag=guarded");
            result.AssertSucceeded();

            var pushed = Inspect(s_guarded.Address, "dib/tiny:guarded", "--creds", $"{User}:{s_password}");
            Assert.AreEqual("amd64", pushed.GetProperty("Architecture").GetString());
            Assert.DoesNotContain(s_password, result.Output);
            Assert.IsEmpty(BinaryLogContent.Read(result.BinaryLog).PlacesOf(s_password), "the password is nowhere in the binary log");
            Assert.IsFalse(File.Exists(Path.Combine(s_project.IntermediateDirectory(), "dib", "push-auth.json")), "the push's auth file is removed");
        }
        finally
        {
            s_project.Environment.Remove("SDK_CONTAINER_REGISTRY_UNAME");
            s_project.Environment.Remove("SDK_CONTAINER_REGISTRY_PWORD");
        }
    }

    [TestMethod]
    [DataRow(null, DisplayName = "no credentials")]
    [DataRow("wrong-password", DisplayName = "a wrong password")]
    public void Publish_ToARegistryThatRefusesTheCredentials_FailsWithOneDIB4004NamingTheRegistryAndTheReason(string? password)
    {
        if (password is not null)
        {
            s_project.Environment["SDK_CONTAINER_REGISTRY_UNAME"] = User;
            s_project.Environment["SDK_CONTAINER_REGISTRY_PWORD"] = password;
        }
        try
        {
            var result = s_project.Run("publish", $"-p:ContainerRegistry={s_guarded.Address}", "-p:ContainerImageTag=refused");

            Assert.IsFalse(result.Succeeded);
            CollectionAssert.AreEqual(new[] { "DIB4004" }, result.ErrorCodes.ToList(), result.Output);
            StringAssert.Contains(result.Errors[0], $"The registry {s_guarded.Address} refused the push of dib/tiny:refused");
            StringAssert.Matches(result.Errors[0], new System.Text.RegularExpressions.Regex("unauthorized|authentication required|denied", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
                "the registry's reason is in the message");
            if (password is not null)
                Assert.DoesNotContain(password, result.Output, "the password never reaches the log");
        }
        finally
        {
            s_project.Environment.Remove("SDK_CONTAINER_REGISTRY_UNAME");
            s_project.Environment.Remove("SDK_CONTAINER_REGISTRY_PWORD");
        }
    }

    [TestMethod]
    public void Publish_WithATagThatIsNotAReference_FailsWithDIB4004BeforeAskingTheRegistry()
    {
        var result = s_project.Run("publish", $"-p:ContainerRegistry={s_open.Address}", "-p:ContainerImageTags=ok%3B-bad");

        CollectionAssert.AreEqual(new[] { "DIB4004" }, result.ErrorCodes.ToList(), result.Output);
        StringAssert.Contains(result.Errors[0], "tag '-bad' is not valid");
        Assert.DoesNotContain("Pushing ", result.Output, "nothing was sent");
    }

    [TestMethod]
    public void Publish_WithTargetArchs_PushesTheImageIndexOfBothArchitectures()
    {
        using var project = ImageProject.Create("publish-archs", Body("<TargetArchs>amd64;i386</TargetArchs>"));
        project.AddTestElement("tiny-os");
        var result = project.Run("publish", $"-p:ContainerRegistry={s_open.Address}", "-p:ContainerImageTag=multi");
        result.AssertSucceeded();

        var raw = JsonDocument.Parse(Command.StandardOutput("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{s_open.Address}/dib/tiny:multi")).RootElement;
        Assert.AreEqual("application/vnd.oci.image.index.v1+json", raw.GetProperty("mediaType").GetString(), raw.ToString());
        CollectionAssert.AreEqual(new[] { "amd64", "386" },
            raw.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).ToList());
        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "publish", "i386", "publish-archs.oci.tar")), "each architecture is published to PublishDir/<arch>/");
        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "publish", "publish-archs.oci.tar")), "the multi-platform archive to PublishDir");
    }

    [TestMethod]
    public void Build_WithContainerRegistryButNoOciFormat_FailsWithDIB1008BeforeAnyWork()
    {
        using var project = ImageProject.Create("publish-raw", Body("<ContainerRegistry>127.0.0.1:9</ContainerRegistry>").Replace("<ImageFormats>oci</ImageFormats>", "<ImageFormats>raw</ImageFormats>"));
        project.AddTestElement("tiny-os");
        var result = project.Build();

        CollectionAssert.AreEqual(new[] { "DIB1008" }, result.ErrorCodes.ToList(), result.Output);
        StringAssert.Contains(result.Errors[0], "127.0.0.1:9");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.IntermediateDirectory(), "dib")), "no work started");
    }

    [TestMethod]
    public void Build_WithTheOldContainerTag_WarnsDIB4901AndTagsTheArchiveWithIt()
    {
        using var project = ImageProject.Create("publish-oldtag", Body("<ContainerTag>v7</ContainerTag>"));
        project.AddTestElement("tiny-os");
        var result = project.Build();
        result.AssertSucceeded();

        StringAssert.Contains(result.Output, "warning DIB4901");
        var archive = Path.Combine(project.OutputDirectory(), "publish-oldtag.oci.tar");
        var index = Command.StandardOutput("tar", "-xOf", archive, "index.json");
        StringAssert.Contains(index, "\"org.opencontainers.image.ref.name\":\"v7\"");
    }
}
