using System.Globalization;
using System.Security.Cryptography;
using DiskImageBuilder.Tests.BlockDevice;

namespace DiskImageBuilder.Tests.Outputs;

/// <summary>
/// Describes a tree as find and getfattr see it, one line per entry, so an extracted archive can be compared with
/// the tree it was made from: type, numeric owner, mode, link target, the other names of a hard-linked file, and the
/// mtime and content hash of regular files.
/// </summary>
internal static class TreeSnapshot
{
    private const int FieldsPerEntry = 8;

    /// <summary>Every entry below <paramref name="root"/>, sorted by path.</summary>
    public static IReadOnlyList<string> Entries(string root) => Describe(root, _ => true, mtimeClamp: null);

    /// <summary>
    /// What an archive of <paramref name="root"/> must hold: everything but the contents of /dev and device nodes and
    /// sockets anywhere; with <paramref name="mtimeClamp"/>, newer times are shown as the clamp.
    /// </summary>
    public static IReadOnlyList<string> ArchivableEntries(string root, DateTimeOffset? mtimeClamp = null) =>
        Describe(root, e => !e.Path.StartsWith("dev/", StringComparison.Ordinal) && e.Type is not ("c" or "b" or "s"), mtimeClamp);

    /// <summary>getfattr's dump of every extended attribute (all namespaces) in hex, with paths relative to <paramref name="root"/>.</summary>
    public static string Xattrs(string root)
    {
        var dump = HostTool.Run("getfattr", "attr", "-R", "-h", "-d", "-m", "-", "-e", "hex", root);
        // Without --absolute-names getfattr drops the leading '/'.
        return dump.Replace("# file: " + root.TrimStart('/') + "/", "# file: ", StringComparison.Ordinal);
    }

    private static List<string> Describe(string root, Func<(string Path, string Type), bool> include, DateTimeOffset? mtimeClamp)
    {
        var output = HostTool.Run("find", "findutils", root, "-mindepth", "1", "-printf", @"%P\0%y\0%U:%G\0%m\0%D:%i\0%n\0%l\0%T@\0");
        var fields = output.Split('\0');
        var entries = new List<(string Path, string Type, string Owner, string Mode, string Inode, string Target, string Mtime)>();
        for (int i = 0; i + FieldsPerEntry <= fields.Length; i += FieldsPerEntry)
        {
            var entry = (Path: fields[i], Type: fields[i + 1], Owner: fields[i + 2], Mode: fields[i + 3], Inode: fields[i + 4],
                Target: fields[i + 6], Mtime: fields[i + 7].Split('.')[0]);
            if (include((entry.Path, entry.Type)))
                entries.Add(entry);
        }

        var namesOfInode = entries.Where(e => e.Type != "d").GroupBy(e => e.Inode)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Path).Order(StringComparer.Ordinal).ToList());
        var lines = new List<string>();
        foreach (var e in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            var line = $"{e.Path} type={e.Type} owner={e.Owner} mode={e.Mode}";
            if (e.Type == "l")
                line += $" target={e.Target}";
            if (e.Type != "d" && namesOfInode[e.Inode].Count > 1)
                line += $" links={string.Join(',', namesOfInode[e.Inode])}";
            if (e.Type == "f")
            {
                var mtime = long.Parse(e.Mtime, CultureInfo.InvariantCulture);
                if (mtimeClamp is { } clamp)
                    mtime = Math.Min(mtime, clamp.ToUnixTimeSeconds());
                line += $" mtime={mtime} sha256={Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, e.Path))))}";
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Both lists joined into one message each, so a failure shows the whole difference.</summary>
    public static void AssertSame(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string what)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            Assert.Fail($"{what} differs.{Environment.NewLine}Missing:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", missing)}" +
                $"{Environment.NewLine}Unexpected:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", extra)}");
    }
}
