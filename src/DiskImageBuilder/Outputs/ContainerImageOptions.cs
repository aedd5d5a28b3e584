using System.IO.Compression;
using System.Text.RegularExpressions;
using DiskImageBuilder.Diagnostics;

namespace DiskImageBuilder.Outputs;

/// <summary>What a container image built from a root tree says about itself.</summary>
/// <param name="TargetArch">The tree's architecture as TargetArch names it (amd64, arm64, i386, ppc64el or an alias).</param>
/// <param name="Repository">The image name, e.g. "debian-base" or "team/debian-base"; docker-archive tags the image with it.</param>
/// <param name="Tag">The tag: the OCI index's org.opencontainers.image.ref.name and the docker-archive RepoTags tag.</param>
/// <param name="Created">The config's "created" time; SOURCE_DATE_EPOCH for a reproducible image.</param>
/// <param name="Cmd">The default command; null for <see cref="DefaultCmd"/>, empty for none.</param>
/// <param name="Env">Environment entries "NAME=value"; null for <see cref="DefaultEnv"/>.</param>
/// <param name="Labels">config.Labels; null for none.</param>
/// <param name="MtimeClamp">See <see cref="RootTreeTarOptions.MtimeClamp"/>.</param>
/// <param name="LayerCompression">gzip level of the OCI layer (docker-archive layers are not compressed).</param>
public sealed partial record ContainerImageOptions(
    string TargetArch,
    string Repository,
    string Tag,
    DateTimeOffset Created,
    IReadOnlyList<string>? Cmd = null,
    IReadOnlyList<string>? Env = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    DateTimeOffset? MtimeClamp = null,
    CompressionLevel LayerCompression = CompressionLevel.Optimal)
{
    /// <summary>A shell, as the base images of Debian and Ubuntu start.</summary>
    public static readonly IReadOnlyList<string> DefaultCmd = ["/bin/bash"];

    /// <summary>Debian's default PATH for root, which docker and podman also set when an image has none.</summary>
    public static readonly IReadOnlyList<string> DefaultEnv = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    /// <summary>The command the image runs.</summary>
    public IReadOnlyList<string> EffectiveCmd => Cmd ?? DefaultCmd;

    /// <summary>The environment the image sets.</summary>
    public IReadOnlyList<string> EffectiveEnv => Env ?? DefaultEnv;

    /// <summary>"repository:tag", as docker-archive's RepoTags writes it.</summary>
    public string Reference => $"{Repository}:{Tag}";

    /// <summary>Whether <paramref name="tag"/> is a tag by docker's and podman's reference grammar.</summary>
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>Whether <paramref name="repository"/> is an image name by docker's and podman's reference grammar.</summary>
    public static bool IsValidRepository(string repository) => RepositoryPattern().IsMatch(repository);

    /// <summary>Checks names against the reference grammar of docker and podman; DIB4001 names the bad value.</summary>
    /// <returns>The platform <see cref="TargetArch"/> maps to (DIB1001 when it is unknown).</returns>
    internal ContainerPlatform Validate()
    {
        if (!TagPattern().IsMatch(Tag))
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The container image tag '{Tag}' is not valid: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
        if (!RepositoryPattern().IsMatch(Repository))
            throw new DibException(ErrorCodes.ConversionFailed,
                $"The container image name '{Repository}' is not valid: use lowercase letters and digits, separated by '.', '_', '__', '-' or '/', " +
                "optionally after a registry host and port (host:5000/name).");
        foreach (var entry in EffectiveEnv)
        {
            if (entry.IndexOf('=') <= 0)
                throw new DibException(ErrorCodes.ConversionFailed, $"The container image environment entry '{entry}' is not NAME=value.");
        }
        foreach (var key in Labels?.Keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(key))
                throw new DibException(ErrorCodes.ConversionFailed, "A container image label has an empty name.");
        }
        return ContainerPlatform.FromTargetArch(TargetArch);
    }

    // distribution/reference grammar: tag := [\w][\w.-]{0,127} with ASCII \w; path component := [a-z0-9]+(separator [a-z0-9]+)*,
    // separator := [_.] | __ | -+; an optional domain with port comes first.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();
}
