using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Publishing;

/// <summary>
/// Pushes an OCI archive (one architecture's image, or the multi-platform image index of TargetArchs) to a registry
/// with skopeo, once per tag: `skopeo copy --all oci-archive:ARCHIVE docker://REGISTRY/REPOSITORY:TAG`. A loopback
/// registry (localhost, 127.0.0.0/8, ::1) is spoken to over plain HTTP, as the .NET SDK's container publishing does;
/// any other over TLS. A refused push is DIB4004 naming the registry and skopeo's reason, never the credentials.
/// </summary>
public sealed class ContainerPush(ProcessRunner runner, IBuildLog log)
{
    public async Task PushAsync(string archive, string registry, string repository, IReadOnlyList<string> tags, string workDirectory,
        CancellationToken cancellationToken)
    {
        // Checked before the registry is asked, so that a typo is not reported as the registry's refusal.
        var bad = tags.Where(t => !Outputs.ContainerImageOptions.IsValidTag(t)).Select(t => $"tag '{t}'")
            .Concat(Outputs.ContainerImageOptions.IsValidRepository(repository) ? [] : [$"repository '{repository}'"]).ToList();
        if (bad.Count > 0 || tags.Count == 0)
            throw new DibException(ErrorCodes.ContainerPushFailed,
                $"Nothing was pushed to {registry}: the {(bad.Count > 0 ? string.Join(" and the ", bad) : "list of tags")} is not valid. " +
                "Tags (ContainerImageTag, ContainerImageTags separated by ';') are up to 128 letters, digits, '_', '.' and '-', not starting " +
                "with '.' or '-'; ContainerRepository is lowercase letters and digits separated by '.', '_', '-' or '/'.");
        var credentials = RegistryCredentials.FromEnvironment();
        var authFile = Path.Combine(workDirectory, "push-auth.json");
        try
        {
            var arguments = new List<string> { "copy", "--all", "--retry-times", "2" };
            if (IsLoopback(registry))
                arguments.Add("--dest-tls-verify=false");
            if (credentials is not null)
            {
                credentials.WriteAuthFile(authFile, registry);
                arguments.AddRange(["--dest-authfile", authFile]);
            }
            foreach (var tag in tags)
            {
                var destination = $"docker://{registry}/{repository}:{tag}";
                log.Progress($"Pushing {Path.GetFileName(archive)} to {registry}/{repository}:{tag}");
                var result = await runner.RunAsync(new ProcessSpec("skopeo", [.. arguments, $"oci-archive:{archive}", destination],
                    OutputPrefix: "skopeo: "), cancellationToken, logOutput: true);
                if (!result.Succeeded)
                {
                    var reason = string.Join(' ', result.Tail.Where(l => l.Length > 0).TakeLast(3));
                    if (credentials is not null)
                        reason = credentials.Scrub(reason);
                    throw new DibException(ErrorCodes.ContainerPushFailed,
                        $"The registry {registry} refused the push of {repository}:{tag}: {reason} " +
                        "Check ContainerRegistry and ContainerRepository, and the credentials: SDK_CONTAINER_REGISTRY_UNAME and " +
                        "SDK_CONTAINER_REGISTRY_PWORD in the environment, or a login in the registry's credential file (skopeo login, docker login).");
                }
            }
        }
        finally
        {
            File.Delete(authFile);
        }
    }

    /// <summary>Whether the registry's host is this machine: localhost, 127.x.x.x or ::1, with or without a port.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']')] : registry.Split(':')[0];
        return host == "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    }
}
