using System.Globalization;

namespace DiskImageBuilder.BlockDevice.Config;

/// <summary>
/// A partition's <c>type:</c>. On MBR it is the one-byte type (<c>0x83</c>, <c>83</c>, <c>ef</c>); on GPT a
/// four-hex-digit sgdisk code from <see cref="GptCodes"/> (<c>EF00</c>, also written <c>0xEF00</c> as
/// diskimage-builder's own PReP layout does) or a type GUID.
/// </summary>
public readonly record struct PartitionTypeCode
{
    /// <summary>
    /// The sgdisk codes accepted on GPT and the type GUIDs they stand for. A GUID can always be written instead,
    /// so a rarer type needs no entry here.
    /// </summary>
    public static IReadOnlyDictionary<string, Guid> GptCodes { get; } = new Dictionary<string, Guid>(StringComparer.Ordinal)
    {
        ["8300"] = new("0fc63daf-8483-4772-8e79-3d69d8477de4"), // Linux filesystem
        ["EF00"] = new("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"), // EFI system partition
        ["EF02"] = new("21686148-6449-6e6f-744e-656564454649"), // BIOS boot partition (GRUB's core image)
        ["8E00"] = new("e6d6d379-f507-44c2-a23c-238f2a3df928"), // Linux LVM
        ["8200"] = new("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"), // Linux swap
        ["0700"] = new("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"), // Microsoft basic data
        ["FD00"] = new("a19d880f-05fc-4d3b-a006-743f0f84911e"), // Linux RAID
        ["8304"] = new("4f68bce3-e8cd-4db1-96e7-fbcaf984b709"), // Linux x86-64 root (discoverable partitions)
        ["8305"] = new("b921b045-1df0-41c3-af44-4c6f280d3fae"), // Linux ARM64 root (discoverable partitions)
        ["4100"] = new("9e1a2d38-c612-4316-aa26-8b49521e5a8b"), // PowerPC PReP boot: diskimage-builder's ppc64el GPT layout
    };

    private readonly byte _mbrType;
    private readonly Guid _gptType;

    private PartitionTypeCode(PartitionTableLabel table, string text, byte mbrType, Guid gptType)
    {
        Table = table;
        Text = text;
        _mbrType = mbrType;
        _gptType = gptType;
    }

    /// <summary>The default on MBR: 0x83, Linux.</summary>
    public static PartitionTypeCode MbrDefault { get; } = new(PartitionTableLabel.Mbr, "0x83", 0x83, Guid.Empty);

    /// <summary>The default on GPT: 8300, Linux filesystem.</summary>
    public static PartitionTypeCode GptDefault { get; } = new(PartitionTableLabel.Gpt, "8300", 0, GptCodes["8300"]);

    /// <summary>The table the code belongs to.</summary>
    public PartitionTableLabel Table { get; }

    /// <summary>The code in one spelling per type: <c>0x83</c>; <c>EF00</c>; a GUID with no code, lower case.</summary>
    public string Text { get; }

    /// <summary>The MBR type byte.</summary>
    /// <exception cref="InvalidOperationException">The code is a GPT one.</exception>
    public byte MbrType => Table == PartitionTableLabel.Mbr ? _mbrType : throw new InvalidOperationException($"{Text} is a GPT type.");

    /// <summary>The GPT partition type GUID.</summary>
    /// <exception cref="InvalidOperationException">The code is an MBR one.</exception>
    public Guid GptType => Table == PartitionTableLabel.Gpt ? _gptType : throw new InvalidOperationException($"{Text} is an MBR type.");

    /// <summary>The default type of a partition on <paramref name="table"/>.</summary>
    public static PartitionTypeCode DefaultFor(PartitionTableLabel table) => table == PartitionTableLabel.Mbr ? MbrDefault : GptDefault;

    /// <summary>
    /// Reads <paramref name="text"/> as a type for <paramref name="table"/>. MBR: one hex byte, with or without
    /// <c>0x</c>, except 0x00, which marks an unused entry. GPT: a code of <see cref="GptCodes"/> (any case, with
    /// or without <c>0x</c>) or a GUID other than the all-zero one, which marks an unused entry.
    /// </summary>
    public static bool TryParse(string? text, PartitionTableLabel table, out PartitionTypeCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var value = text.Trim();
        var hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;

        if (table == PartitionTableLabel.Mbr)
        {
            if (hex.Length is < 1 or > 2
                || !byte.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var type)
                || type == 0)
            {
                return false;
            }
            code = new PartitionTypeCode(table, $"0x{type:x2}", type, Guid.Empty);
            return true;
        }

        var upper = hex.ToUpperInvariant();
        if (GptCodes.TryGetValue(upper, out var known))
        {
            code = new PartitionTypeCode(table, upper, 0, known);
            return true;
        }
        if (Guid.TryParseExact(value, "D", out var guid) && guid != Guid.Empty)
        {
            // A GUID that has a code is stored as the code, so both spellings of one type compare equal.
            var named = GptCodes.FirstOrDefault(pair => pair.Value == guid).Key;
            code = new PartitionTypeCode(table, named ?? guid.ToString("D"), 0, guid);
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
