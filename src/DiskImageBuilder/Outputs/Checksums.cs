using System.Security.Cryptography;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.IO;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Checksum files beside each output in coreutils format ("HEX  NAME"), so `sha256sum -c NAME.sha256`
/// run in the output folder verifies them.
/// </summary>
public static class Checksums
{
    public static readonly IReadOnlyList<string> Algorithms = ["sha256", "md5"];

    public static IReadOnlyList<string> Parse(string value)
    {
        var names = value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => a.ToLowerInvariant()).Distinct().ToList();
        var unknown = names.Where(a => !Algorithms.Contains(a) && a != "none").ToList();
        if (unknown.Count > 0)
            throw new DibException(ErrorCodes.UnknownImageFormat,
                $"ImageChecksums '{value}' names unknown algorithm(s) {string.Join(", ", unknown)}. Use sha256, md5, both, or none.");
        return [.. names.Where(a => a != "none")];
    }

    /// <summary>The checksum files <see cref="WriteAsync"/> writes beside <paramref name="file"/>: FILE.ALGO.</summary>
    public static IReadOnlyList<string> Files(string file, IReadOnlyList<string> algorithms) =>
        [.. algorithms.Select(a => file + "." + a)];

    /// <summary>Hashes the file once per algorithm and writes FILE.ALGO; returns the hex digests.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> WriteAsync(string file, IReadOnlyList<string> algorithms,
        CancellationToken cancellationToken)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var algorithm in algorithms.Append("sha256").Distinct())
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
            var hash = algorithm == "md5"
                ? await MD5.HashDataAsync(stream, cancellationToken)
                : await SHA256.HashDataAsync(stream, cancellationToken);
            digests[algorithm] = Convert.ToHexStringLower(hash);
        }
        foreach (var algorithm in algorithms)
        {
            await AtomicFile.WriteAllTextAsync(file + "." + algorithm, $"{digests[algorithm]}  {Path.GetFileName(file)}\n", cancellationToken);
        }
        return digests;
    }
}
