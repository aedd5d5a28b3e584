using System.Text;
using DiskImageBuilder.Diagnostics;
using DiskImageBuilder.Processes;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// Reads the extended attributes that a tree ships in an image with getfattr (attr package), run by find over the tree.
/// Values come back in hex, so binary ones such as security.capability survive byte for byte.
/// </summary>
internal static class TreeXattrs
{
    /// <summary>
    /// The attributes an image carries: file capabilities (ping's cap_net_raw) and user attributes. Not
    /// security.selinux (the build host's label; the runtime labels), not trusted.* (overlayfs and other host
    /// internals), not system.posix_acl_* (ACLs are not carried by this version).
    /// </summary>
    public const string NamePattern = @"^(security\.capability|user\..+)$";

    private const string FileLinePrefix = "# file: ";
    private const string HexValuePrefix = "0x";
    private const string CurrentDirectoryPrefix = "./";

    /// <summary>getfattr writes a byte it will not print as a backslash and three octal digits.</summary>
    private const int EscapeDigits = 3;

    private const int OctalBase = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Attributes by relative path ('/'-separated, as <see cref="TreeListing"/> names files), each list sorted by name.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, byte[]>>>> ReadAsync(
        ProcessRunner runner, string tree, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        // find hands the files to getfattr in batches, so the walk stays on the tree's filesystem (-xdev) like
        // TreeListing's; getfattr -R would also read a /proc left mounted in the tree. -h reads links themselves,
        // never their targets. LC_ALL=C makes getfattr escape every non-ASCII byte, so its output is plain ASCII and
        // the names are decoded here, byte exact.
        var spec = new ProcessSpec("find",
            [".", "-xdev", "-mindepth", "1", "-exec", "getfattr", "-h", "-d", "-e", "hex", "-m", NamePattern, "{}", "+"],
            WorkingDirectory: tree, Environment: new Dictionary<string, string?> { ["LC_ALL"] = "C" }, OutputPrefix: "getfattr: ");
        var result = await runner.RunAsync(spec, cancellationToken, capture: lines.Add);
        if (!result.Succeeded)
            throw new DibException(ErrorCodes.ConversionFailed,
                $"Reading extended attributes of {tree} failed with exit code {result.ExitCode}: {result.CommandLine}{Environment.NewLine}" +
                string.Join(Environment.NewLine, result.Tail.Select(l => "  | " + l)));
        return Parse(lines, tree);
    }

    /// <summary>Parses getfattr -d -e hex output: "# file: NAME", then "name=0xHEX" lines, then a blank line.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, byte[]>>> Parse(IEnumerable<string> lines, string tree)
    {
        var byPath = new Dictionary<string, IReadOnlyList<KeyValuePair<string, byte[]>>>(StringComparer.Ordinal);
        string? path = null;
        var attributes = new List<KeyValuePair<string, byte[]>>();
        void Flush()
        {
            if (path is not null && attributes.Count > 0)
                byPath[path] = [.. attributes.OrderBy(a => a.Key, StringComparer.Ordinal)];
            attributes = [];
        }

        foreach (var line in lines)
        {
            if (line.StartsWith(FileLinePrefix, StringComparison.Ordinal))
            {
                Flush();
                path = Unescape(line[FileLinePrefix.Length..], tree);
                if (path.StartsWith(CurrentDirectoryPrefix, StringComparison.Ordinal))
                    path = path[CurrentDirectoryPrefix.Length..];
            }
            else if (line.Length > 0 && path is not null)
            {
                int equals = line.IndexOf('=');
                var name = Unescape(equals < 0 ? line : line[..equals], tree);
                var value = equals < 0 ? "" : line[(equals + 1)..];
                if (value.StartsWith(HexValuePrefix, StringComparison.Ordinal))
                    value = value[HexValuePrefix.Length..];
                attributes.Add(new(name, Convert.FromHexString(value)));
            }
        }
        Flush();
        return byPath;
    }

    /// <summary>Turns getfattr's \ooo escapes back into bytes and decodes the result as UTF-8.</summary>
    private static string Unescape(string text, string tree)
    {
        if (!text.Contains('\\'))
            return text;
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + EscapeDigits < text.Length && IsOctal(text.AsSpan(i + 1, EscapeDigits)))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, EscapeDigits), OctalBase));
                i += EscapeDigits;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            throw new DibException(ErrorCodes.ConversionFailed,
                $"getfattr reported a file or attribute name under {tree} that is not UTF-8: '{text}'. Rename it in the tree.");
        }
    }

    private static bool IsOctal(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
                return false;
        }
        return true;
    }
}
