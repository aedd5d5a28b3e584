using System.Buffers.Binary;
using Microsoft.Build.Framework;

namespace DiskImageBuilder.Tasks.Tests;

/// <summary>
/// The disk and output tasks in the order Sdk.targets runs them, on a planned build with a small tree. The partition
/// table and the raw output use only the SDK's own writers, so nothing here needs root or a host tool but du and cp.
/// </summary>
[TestClass]
public sealed class DiskTasksTests
{
    private static PlanImageBuild PlanWithTree(TaskProject project, string formats = "raw")
    {
        project.AddElementFile("my-os", "element-provides", "operating-system\n");
        var resolve = project.Resolve("my-os", "block-device-mbr");
        Assert.IsTrue(project.Run(resolve), project.Engine.Log);
        var plan = project.Plan(resolve, t => { t.ImageFormats = formats; t.DiskSignature = "0x1234abcd"; });
        Assert.IsTrue(project.Run(plan), project.Engine.Log);
        var etc = Directory.CreateDirectory(Path.Combine(project.WorkDirectory, "tree", "etc")).FullName;
        File.WriteAllText(Path.Combine(etc, "hostname"), "test\n");
        return plan;
    }

    private static void AllocateDisk(TaskProject project)
    {
        Assert.IsTrue(project.Run(new CreateBlockDevice { WorkDirectory = project.WorkDirectory }), project.Engine.Log);
        Assert.IsTrue(project.Run(new PartitionMbr { WorkDirectory = project.WorkDirectory }), project.Engine.Log);
    }

    [TestMethod]
    public void CreateBlockDeviceAndPartitionMbr_WriteTheDiskFstabAndTheTableWithTheGivenSignature()
    {
        using var project = new TaskProject();
        var plan = PlanWithTree(project);

        AllocateDisk(project);
        Assert.IsTrue(project.Run(new PartitionGpt { WorkDirectory = project.WorkDirectory }), project.Engine.Log);

        var disk = File.ReadAllBytes(plan.RawDisk);
        Assert.AreEqual(0, disk.Length % (1024 * 1024), "the disk is a whole number of MiB");
        Assert.AreEqual(0xAA55, BinaryPrimitives.ReadUInt16LittleEndian(disk.AsSpan(510)), "MBR boot signature");
        Assert.AreEqual(0x1234abcdu, BinaryPrimitives.ReadUInt32LittleEndian(disk.AsSpan(440)), "DiskSignature is the MBR's disk signature");
        Assert.AreEqual(0x80, disk[446], "the root partition is bootable");
        Assert.AreEqual(0x83, disk[446 + 4], "a Linux partition");
        Assert.AreEqual(0, disk[462 + 4], "one partition only");
        Assert.AreNotEqual("EFI PART", System.Text.Encoding.ASCII.GetString(disk, 512, 8), "PartitionGpt leaves an MBR layout alone");
        StringAssert.Contains(File.ReadAllText(Path.Combine(project.WorkDirectory, "tree", "etc", "fstab")), "LABEL=cloudimg-rootfs / ");
    }

    [TestMethod]
    public void ConvertImageAndDescribe_RawOutput_HasChecksumFileAndItemsWithSizeAndSha256()
    {
        using var project = new TaskProject();
        var plan = PlanWithTree(project);
        AllocateDisk(project);

        Assert.IsTrue(project.Run(new ConvertImage { WorkDirectory = project.WorkDirectory, Outputs = plan.Outputs }), project.Engine.Log);
        var describe = new DescribeImageOutputs { WorkDirectory = project.WorkDirectory, Outputs = plan.Outputs };
        Assert.IsTrue(project.Run(describe), project.Engine.Log);

        var raw = describe.Described.Single();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(raw.ItemSpec)));
        Assert.AreEqual(expected, raw.GetMetadata("Sha256"));
        Assert.AreEqual(new FileInfo(plan.RawDisk).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), raw.GetMetadata("Size"));
        Assert.AreEqual("raw", raw.GetMetadata("Format"));
        StringAssert.StartsWith(File.ReadAllText(raw.ItemSpec + ".sha256"), expected);
    }

    [TestMethod]
    public void DescribeImageOutputs_OutputNotWrittenYet_KeepsTheItemWithoutSize()
    {
        using var project = new TaskProject();
        var plan = PlanWithTree(project);
        var describe = new DescribeImageOutputs { WorkDirectory = project.WorkDirectory, Outputs = plan.Outputs };
        Assert.IsTrue(project.Run(describe), project.Engine.Log);
        Assert.AreEqual("", describe.Described.Single().GetMetadata("Size"));
    }

    [TestMethod]
    [DataRow(typeof(CreateBlockDevice))]
    [DataRow(typeof(PartitionMbr))]
    [DataRow(typeof(RunPhase))]
    [DataRow(typeof(PlanStages))]
    [DataRow(typeof(ConvertImage))]
    [DataRow(typeof(LockProjectBuild))]
    public void PlannedTask_BeforeThePlan_LogsDib1005NamingTheTarget(Type taskType)
    {
        using var project = new TaskProject();
        var task = (PlannedTask)Activator.CreateInstance(taskType)!;
        task.WorkDirectory = project.WorkDirectory;
        if (task is RunPhase run)
        {
            run.Phase = "install.d";
            run.Stage = new Microsoft.Build.Utilities.TaskItem("install");
        }

        Assert.IsFalse(project.Run(task));

        Assert.AreEqual("DIB1005", project.Engine.Errors.Single().Code);
        StringAssert.Contains(project.Engine.Errors.Single().Message, "_DibPlan");
        Assert.IsFalse(Directory.Exists(project.WorkDirectory), "nothing is written");
    }

    [TestMethod]
    public void LockProjectBuild_SecondBuildOfTheSameProject_LogsDib6001()
    {
        using var project = new TaskProject();
        PlanWithTree(project);
        Assert.IsTrue(project.Run(new LockProjectBuild { WorkDirectory = project.WorkDirectory }), project.Engine.Log);

        // A second build of the same project, in another engine, while the first holds the lock.
        var other = new FakeBuildEngine();
        var resolve = project.Resolve("my-os", "block-device-mbr");
        resolve.BuildEngine = other;
        Assert.IsTrue(resolve.Execute());
        var otherPlan = project.Plan(resolve);
        otherPlan.BuildEngine = other;
        Assert.IsTrue(otherPlan.Execute());
        var second = new LockProjectBuild { WorkDirectory = project.WorkDirectory, BuildEngine = other };

        Assert.IsFalse(second.Execute());
        Assert.AreEqual("DIB6001", other.Errors.Single().Code);
        other.EndBuild();
    }

    [TestMethod]
    public void RecoverInterruptedBuild_DirtyMark_RemovesTreePartialsAndStamps()
    {
        using var project = new TaskProject();
        var plan = PlanWithTree(project);
        File.WriteAllText(plan.DirtyMarker, "");
        Directory.CreateDirectory(project.OutputDirectory);
        var partial = Path.Combine(project.OutputDirectory, "test.qcow2.partial");
        File.WriteAllText(partial, "half");
        Directory.CreateDirectory(Path.GetDirectoryName(plan.TreeStamp)!);
        File.WriteAllText(plan.TreeStamp, "");

        Assert.IsTrue(project.Run(new RecoverInterruptedBuild { WorkDirectory = project.WorkDirectory }), project.Engine.Log);

        Assert.IsFalse(File.Exists(partial));
        Assert.IsFalse(File.Exists(plan.TreeStamp));
        Assert.IsFalse(File.Exists(plan.DirtyMarker));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.WorkDirectory, "tree")));
        Assert.IsTrue(File.Exists(plan.TreeInputsFile), "the plan's inputs stay");
        StringAssert.Contains(project.Engine.Log, "was interrupted");
    }

    [TestMethod]
    public void RecoverInterruptedBuild_NoMark_LeavesTheTree()
    {
        using var project = new TaskProject();
        PlanWithTree(project);
        Assert.IsTrue(project.Run(new RecoverInterruptedBuild { WorkDirectory = project.WorkDirectory }), project.Engine.Log);
        Assert.IsTrue(File.Exists(Path.Combine(project.WorkDirectory, "tree", "etc", "hostname")));
    }
}
