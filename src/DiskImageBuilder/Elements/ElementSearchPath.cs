namespace DiskImageBuilder.Elements;
// TEMPORARY
public sealed class ElementSearchPath(IReadOnlyList<string> dirs)
{
    public List<string> Warnings { get; } = [];
    public static IEnumerable<string> Split(string value) => value.Split([':', ';'], StringSplitOptions.RemoveEmptyEntries);
    public Element? Find(string name)
    {
        foreach (var d in dirs)
        {
            var p = System.IO.Path.Combine(d, name);
            if (Directory.Exists(p))
                return new Element(name, p, Lines(p, "element-deps"), Lines(p, "element-provides"));
        }
        return null;
    }
    private static IReadOnlyList<string> Lines(string p, string f) => File.Exists(System.IO.Path.Combine(p, f))
        ? [.. File.ReadAllLines(System.IO.Path.Combine(p, f)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))] : [];
}
