using DiskImageBuilder.Outputs;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>Options and writers shared by the container image tests.</summary>
internal static class ContainerTestImages
{
    public const string Repository = "dib-test/sample";
    public const string Tag = "1.0";

    /// <summary>A fixed time, so two writes can be compared byte for byte.</summary>
    public static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["org.opencontainers.image.title"] = "sample",
        ["com.example.built-by"] = "DiskImageBuilder tests",
    };

    public static ContainerImageOptions Options(string targetArch = "amd64") =>
        new(targetArch, Repository, Tag, Created, Cmd: ["/bin/sh", "-c", "echo hi"], Labels: Labels, MtimeClamp: Created);

    public static RootTreeTar TreeTar(RecordingBuildLog? log = null)
    {
        log ??= new RecordingBuildLog();
        return new RootTreeTar(new ProcessRunner(log), log);
    }
}
