using System.Security.Cryptography;
using System.Text;
using DiskImageBuilder.Elements;
using DiskImageBuilder.IO;
using DiskImageBuilder.Phases;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The manifests folder beside the outputs (NAME.manifests/): what went into the image and what is in
/// it. elements.txt (resolved set with folders), environment.txt (the element environment a script
/// sees; values of secret-looking names and Secret="true" items masked), packages.txt (the dpkg, rpm and portage databases' view of the tree, read
/// from the host without a chroot), block-device.json (the layout), inputs.sha256 (every input file, in
/// sha256sum format), source-date-epoch (the SOURCE_DATE_EPOCH a rebuild must use to get the same bytes, or "none"), and
/// dib-manifests/ when the manifests element ran.
/// </summary>
public sealed class BuildManifest(ProcessRunner runner)
{
    public const string Masked = "********";

    public async Task WriteAsync(ManifestRequest request, CancellationToken cancellationToken)
    {
        await AtomicFile.CreateDirectoryAsync(request.Directory, async (temporary, token) =>
        {
            await File.WriteAllLinesAsync(Path.Combine(temporary, "elements.txt"),
                request.Elements.Select(e => $"{e.Name}\t{e.Path}\t{string.Join(',', e.Provides)}"), token);
            await File.WriteAllLinesAsync(Path.Combine(temporary, "environment.txt"),
                request.Environment.OrderBy(v => v.Key, StringComparer.Ordinal)
                    .Select(v => $"{v.Key}={(UserVariables.LooksSecret(v.Key) || request.SecretNames.Contains(v.Key) ? Masked : v.Value)}"), token);
            await WritePackagesAsync(request.TreeDir, Path.Combine(temporary, "packages.txt"), token);
            if (request.BlockDeviceRecord is { } layout && File.Exists(layout))
                File.Copy(layout, Path.Combine(temporary, "block-device.json"));
            await File.WriteAllLinesAsync(Path.Combine(temporary, "inputs.sha256"),
                await HashInputsAsync(request.InputFiles, token), token);
            await File.WriteAllTextAsync(Path.Combine(temporary, "source-date-epoch"),
                (request.SourceDateEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none") + "\n", token);
            if (request.ElementManifests is { } element && Directory.Exists(element))
                await runner.RunCheckedAsync(new ProcessSpec("cp", ["-a", "--", element, Path.Combine(temporary, "dib-manifests")]),
                    Diagnostics.ErrorCodes.ConversionFailed, "Copying the manifests element's files", token);
        }, cancellationToken);
    }

    /// <summary>
    /// packages.txt: name, version and architecture of every package in the tree's dpkg database and in its rpm database
    /// (Fedora's /usr/lib/sysimage/rpm, or /var/lib/rpm), each read with the host's own tool when the host has it, and in
    /// portage's (Gentoo's /var/db/pkg, read as files).
    /// </summary>
    private async Task WritePackagesAsync(string tree, string path, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var admin = Path.Combine(tree, "var", "lib", "dpkg");
        if (File.Exists(Path.Combine(admin, "status")) && Host.HostTools.Find("dpkg-query") is not null)
            await QueryAsync(tree, "dpkg-query", [$"--admindir={admin}", "-W", "-f", "${Package}\t${Version}\t${Architecture}\n"], lines, cancellationToken);
        // Only a real folder of the tree (a link could lead rpm to the host's own database); Fedora's /var/lib/rpm is a
        // link to /usr/lib/sysimage/rpm, read first.
        var rpmDatabase = new[] { "usr/lib/sysimage/rpm", "var/lib/rpm" }
            .FirstOrDefault(d => Sandbox.TreePaths.FirstUnsafeComponent(tree, d) is null && Directory.Exists(Path.Combine(tree, d))
                && Directory.EnumerateFiles(Path.Combine(tree, d)).Any());
        if (rpmDatabase is not null && Host.HostTools.Find("rpm") is not null)
        {
            var rpmLines = new List<string>();
            try
            {
                await QueryAsync(tree, "rpm", [$"--root={tree}", $"--dbpath=/{rpmDatabase}", "-qa", "--qf",
                    "%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n"], rpmLines, cancellationToken);
                lines.AddRange(rpmLines);
            }
            catch (Diagnostics.DibException)
            {
                // The host's rpm may not read a database of another rpm version's format (an older release's
                // Berkeley DB): the list says so instead of failing a finished build.
                lines.Add($"# the host's rpm could not read the rpm database /{rpmDatabase} of the tree");
            }
        }
        lines.AddRange(PortagePackages.Read(tree));
        if (lines.Count == 0)
        {
            await File.WriteAllTextAsync(path, "# no dpkg, rpm or portage database in the tree (or no dpkg-query, rpm on the host)\n", cancellationToken);
            return;
        }
        lines.Sort(StringComparer.Ordinal);
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
    }

    private async Task QueryAsync(string tree, string program, IReadOnlyList<string> arguments, List<string> lines, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(program, arguments), cancellationToken,
            line => { if (!string.IsNullOrWhiteSpace(line)) lines.Add(line); }, logOutput: false);
        if (!result.Succeeded)
            throw new Diagnostics.DibException(Diagnostics.ErrorCodes.ConversionFailed,
                $"{program} could not read the package database of {tree}: exit code {result.ExitCode}");
    }

    private static async Task<IReadOnlyList<string>> HashInputsAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var file in files.Where(File.Exists).Distinct().Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            lines.Add($"{Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken))}  {file}");
        }
        return lines;
    }
}
