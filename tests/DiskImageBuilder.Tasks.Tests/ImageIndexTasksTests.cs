using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DiskImageBuilder.Tasks.Tests;

/// <summary>
/// The outer build's image index tasks as Sdk.targets calls them. The archives' content is the engine tests' concern;
/// here, the items in and out and the coded errors.
/// </summary>
[TestClass]
public sealed class ImageIndexTasksTests
{
    private static string OuterWorkDirectory(TaskProject project) => Path.Combine(project.Directory, "obj", "Debug", "dib");

    private static string IndexArchive(TaskProject project) => Path.Combine(project.Directory, "bin", "Debug", "img.oci.tar");

    private static ITaskItem Archive(TaskProject project, string arch) =>
        new TaskItem(Path.Combine(project.Directory, "bin", "Debug", arch, "img.oci.tar"), new Dictionary<string, string>
        {
            ["Format"] = "oci",
            ["TargetArch"] = arch,
        });

    [TestMethod]
    public void WriteImageIndex_AnArchitecturesArchiveIsMissing_LogsDib4002AtThatFile()
    {
        using var project = new TaskProject();
        var missing = Archive(project, "amd64");
        var task = new WriteImageIndex
        {
            WorkDirectory = OuterWorkDirectory(project),
            ImageName = "img",
            Architectures = [new TaskItem("amd64"), new TaskItem("i386")],
            Archives = [missing, Archive(project, "i386")],
            OutputPath = IndexArchive(project),
            ImageChecksums = "sha256",
        };

        Assert.IsFalse(project.Run(task));

        var error = project.Engine.Errors.Single();
        Assert.AreEqual("DIB4002", error.Code);
        Assert.AreEqual(missing.ItemSpec, error.File);
        Assert.IsFalse(File.Exists(IndexArchive(project)));
    }

    [TestMethod]
    public void DescribeImageIndex_ArchiveWithoutARecord_AddsSizeAndSha256AndKeepsTheMetadata()
    {
        using var project = new TaskProject();
        Directory.CreateDirectory(Path.GetDirectoryName(IndexArchive(project))!);
        File.WriteAllText(IndexArchive(project), "not really an archive");
        var output = new TaskItem(IndexArchive(project), new Dictionary<string, string>
        {
            ["Format"] = "oci",
            ["TargetArch"] = "amd64;i386",
        });
        var task = new DescribeImageIndex { WorkDirectory = OuterWorkDirectory(project), ImageName = "img", Outputs = [output] };

        Assert.IsTrue(project.Run(task), project.Engine.Log);

        var described = task.Described.Single();
        Assert.AreEqual("amd64;i386", described.GetMetadata("TargetArch"));
        Assert.AreEqual("oci", described.GetMetadata("Format"));
        Assert.AreEqual(new FileInfo(IndexArchive(project)).Length.ToString(CultureInfo.InvariantCulture), described.GetMetadata("Size"));
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(IndexArchive(project)))),
            described.GetMetadata("Sha256"));
    }

    [TestMethod]
    public void DescribeImageIndex_ArchiveNotWrittenYet_KeepsTheItemWithoutSize()
    {
        using var project = new TaskProject();
        var task = new DescribeImageIndex
        {
            WorkDirectory = OuterWorkDirectory(project),
            ImageName = "img",
            Outputs = [new TaskItem(IndexArchive(project))],
        };

        Assert.IsTrue(project.Run(task), project.Engine.Log);

        Assert.AreEqual("", task.Described.Single().GetMetadata("Size"));
    }
}
