using System.Globalization;
using System.Text;

namespace DiskImageBuilder.BlockDevice.Filesystems;

/// <summary>
/// Writes the prototype file mkfs.xfs -p reads (xfsprogs 6.1): a dummy line, two ignored numbers, then the root
/// directory and, nested, one line per entry: name, a 6-character mode (type, u or -, g or -, three octal digits),
/// uid, gid and the content path, the symlink target or the device numbers; "$" closes a directory. Tokens are
/// separated by white space and a token starting with ":" opens a comment, so <see cref="Problems"/> names what
/// cannot be written; the sticky bit has no character, so <see cref="StickyPaths"/> lists it for a later fix.
/// </summary>
internal sealed class XfsProtofile
{
    private const int SetUid = 0x800;
    private const int SetGid = 0x400;
    private const int Sticky = 0x200;
    private const int PermissionBits = 0x1FF;

    private readonly StringBuilder _text = new();
    private readonly Func<string, string> _contentPath;

    private XfsProtofile(Func<string, string> contentPath) => _contentPath = contentPath;

    /// <summary>The prototype file's text.</summary>
    public string Text => _text.ToString();

    /// <summary>Directories and files whose sticky bit mkfs.xfs drops, with their full mode, to set afterwards.</summary>
    public List<(string Path, int Mode)> StickyPaths { get; } = [];

    /// <summary>
    /// What the prototype file cannot express, one list of paths per problem; <paramref name="xattrs"/> gives the
    /// extended attribute names of a path.
    /// </summary>
    public static IReadOnlyList<(string Problem, IReadOnlyList<string> Paths)> Problems(SourceEntry root,
        Func<string, IReadOnlyList<string>> xattrs)
    {
        var entries = root.DescendantsAndSelf().ToList();
        var problems = new List<(string, IReadOnlyList<string>)>();
        void Add(string problem, IEnumerable<string> paths)
        {
            var list = paths.ToList();
            if (list.Count > 0)
                problems.Add((problem, list));
        }

        Add("names with white space, a leading ':' or the name '$' cannot be written in an xfs prototype file",
            entries.Where(e => e != root && !IsToken(e.Name)).Select(e => e.RelativePath));
        Add("symlink targets with white space or a leading ':' cannot be written in an xfs prototype file",
            entries.Where(e => e.LinkTarget is { } target && !IsToken(target)).Select(e => e.RelativePath));
        // Hard links are not a problem to refuse: mkfs.xfs -p of xfsprogs 6.1 makes each name a copy of its own, with the
        // same content, owner and mode, so the tree reads the same; it only takes more room, which the sizing allows for.
        Add("sockets have no prototype file type (they are made by the program that listens on them)",
            entries.Where(e => e.Status.Kind == SourceEntryKind.Socket).Select(e => e.RelativePath));
        Add("extended attributes (capabilities, ACLs, SELinux labels) are not copied by mkfs.xfs -p",
            entries.Select(e => (e.RelativePath, Names: xattrs(e.FullPath)))
                .Where(x => x.Names.Count > 0)
                .Select(x => $"{x.RelativePath} ({string.Join(", ", x.Names)})"));
        return problems;
    }

    /// <summary>
    /// The prototype file for <paramref name="root"/>, which must have no <see cref="Problems"/>;
    /// <paramref name="contentPath"/> maps a file's host path to one mkfs.xfs can read as a single token.
    /// </summary>
    public static XfsProtofile Build(SourceEntry root, Func<string, string> contentPath)
    {
        var proto = new XfsProtofile(contentPath);
        proto._text.Append("dib-protofile\n0 0\n");
        proto.AppendEntry(root, 0);
        return proto;
    }

    private void AppendEntry(SourceEntry entry, int depth)
    {
        var status = entry.Status;
        _text.Append(' ', depth * 2);
        if (depth > 0)
            _text.Append(entry.Name).Append(' ');
        _text.Append(TypeCharacter(status.Kind))
            .Append((status.Permissions & SetUid) != 0 ? 'u' : '-')
            .Append((status.Permissions & SetGid) != 0 ? 'g' : '-')
            .Append(Convert.ToString(status.Permissions & PermissionBits, 8).PadLeft(3, '0'))
            .Append(' ').Append(status.Uid.ToString(CultureInfo.InvariantCulture))
            .Append(' ').Append(status.Gid.ToString(CultureInfo.InvariantCulture));
        if ((status.Permissions & Sticky) != 0)
            StickyPaths.Add((entry.RelativePath, status.Mode));

        switch (status.Kind)
        {
            case SourceEntryKind.File:
                _text.Append(' ').Append(_contentPath(entry.FullPath)).Append('\n');
                break;
            case SourceEntryKind.Symlink:
                _text.Append(' ').Append(entry.LinkTarget).Append('\n');
                break;
            case SourceEntryKind.BlockDevice or SourceEntryKind.CharacterDevice:
                _text.Append(' ').Append(status.RdevMajor.ToString(CultureInfo.InvariantCulture))
                    .Append(' ').Append(status.RdevMinor.ToString(CultureInfo.InvariantCulture)).Append('\n');
                break;
            case SourceEntryKind.Directory:
                _text.Append('\n');
                foreach (var child in entry.Children)
                    AppendEntry(child, depth + 1);
                _text.Append(' ', depth * 2).Append("$\n");
                break;
            default:
                _text.Append('\n');
                break;
        }
    }

    /// <summary>True when <paramref name="value"/> reads back as one token that is neither a comment nor "$".</summary>
    internal static bool IsToken(string value) =>
        value.Length > 0 && value != "$" && value[0] != ':' && !value.Any(char.IsWhiteSpace);

    private static char TypeCharacter(SourceEntryKind kind) => kind switch
    {
        SourceEntryKind.File => '-',
        SourceEntryKind.Directory => 'd',
        SourceEntryKind.Symlink => 'l',
        SourceEntryKind.BlockDevice => 'b',
        SourceEntryKind.CharacterDevice => 'c',
        SourceEntryKind.Fifo => 'p',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
