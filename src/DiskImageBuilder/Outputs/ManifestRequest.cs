using DiskImageBuilder.Elements;

namespace DiskImageBuilder.Outputs;

/// <summary>What <see cref="BuildManifest"/> records, gathered by the task.</summary>
public sealed record ManifestRequest(
    string Directory,
    string TreeDir,
    IReadOnlyList<Element> Elements,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> InputFiles,
    string? BlockDeviceRecord,
    string? ElementManifests,
    IReadOnlySet<string> SecretNames,
    long? SourceDateEpoch = null);
