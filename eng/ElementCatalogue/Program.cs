// Writes docs/elements.md from the built-in elements' READMEs. Run from the repository root, or pass it.
using DiskImageBuilder.ElementCatalogue;

var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
if (!Directory.Exists(Catalogue.ElementsDirectory(root)))
{
    Console.Error.WriteLine($"No sdk/DiskImageBuilder.Sdk/elements under {root}; run from the repository root or pass it.");
    return 2;
}
try
{
    var text = Catalogue.Generate(Catalogue.ElementsDirectory(root));
    File.WriteAllText(Catalogue.DocumentPath(root), text);
    Console.WriteLine($"Wrote {Catalogue.DocumentPath(root)}");
    return 0;
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
