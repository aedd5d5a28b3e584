using DiskImageBuilder.Host;

namespace DiskImageBuilder.Elements;

/// <summary>
/// Reads an element's optional <c>host-tools</c> file, an extension of this SDK: the host programs
/// the element's outside-chroot scripts run, so the build can name them all before it starts.
/// One tool per line: <c>program[|alternative...] package purpose words</c>; '#' starts a comment.
/// </summary>
public static class ElementHostTools
{
    public const string FileName = "host-tools";

    public static IReadOnlyList<HostTool> Read(string elementDir)
    {
        var path = Path.Combine(elementDir, FileName);
        if (!File.Exists(path))
            return [];
        var tools = new List<HostTool>();
        foreach (var raw in ElementFile.Read(path, File.ReadAllLines, Path.GetFileName(elementDir)))
        {
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0)
                continue;
            var fields = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            var programs = fields[0].Split('|');
            var package = fields.Length > 1 ? fields[1] : programs[0];
            var purpose = fields.Length > 2 ? fields[2] : $"needed by element {Path.GetFileName(elementDir)}";
            tools.Add(new HostTool(programs[0], package, purpose, programs[1..]));
        }
        return tools;
    }
}
