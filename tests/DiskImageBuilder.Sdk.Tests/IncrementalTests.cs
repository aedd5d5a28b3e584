using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>
/// Incremental builds and the stage cache on one small image: a no-op build plans nothing, a changed
/// install.d script restores the root stage and reruns the later ones (saying why), a changed format
/// reruns only conversion, a changed late script resumes its stage from the cache point of an earlier
/// script, and a corrupt cache entry is detected and rebuilt.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Root)]
[TestCategory(TestCategories.HostTools)]
public sealed class IncrementalTests
{
    [TestMethod]
    public void StageCache_ChangesRebuildFromTheFirstStageTheyAffect()
    {
        // Cache points off: on a busy machine any script can take 2 s, and a point would change what is restored.
        using var project = ImageProject.Create("incremental", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath><DiskImageCachePointSeconds>100000</DiskImageCachePointSeconds></PropertyGroup>
            <ItemGroup>
              <Element Include="tiny-os" /><Element Include="tiny-probe" /><Element Include="block-device-mbr" />
              <ElementEnvironment Include="DIB_PROBE_ITEM" Value="from-item" />
            </ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("tiny-probe");
        project.AddTestElement("tiny-helper");
        var raw = Path.Combine(project.OutputDirectory(), "incremental.raw");

        var cold = project.Build();
        cold.AssertSucceeded();
        foreach (var stage in new[] { "root", "install", "post-root", "finalise" })
            StringAssert.Contains(cold.Output, $"stage {stage}: runs");

        var noop = project.Build();
        noop.AssertSucceeded();
        StringAssert.Contains(noop.Output, "Skipping target \"_DibPlanStages\" because all output files are up-to-date");
        Assert.DoesNotContain("stage root:", noop.Output);

        // One install.d script changes: the root stage comes from the cache, install and later run again.
        var script = Path.Combine(project.Directory, "elements", "tiny-probe", "install.d", "50-probe-install");
        File.AppendAllText(script, "echo changed >> /probe/changed\n");
        var afterScript = project.Build();
        afterScript.AssertSucceeded();
        StringAssert.Contains(afterScript.Output, "stage root: skipped (cache hit, restored)");
        StringAssert.Contains(afterScript.Output, "stage install: runs (cache miss: element 'tiny-probe' install.d/50-probe-install changed)");
        StringAssert.Contains(afterScript.Output, "stage finalise: runs");
        StringAssert.Contains(ImageFiles.ReadFile(raw, "/probe/changed"), "changed", "the changed script ran");
        CollectionAssert.AreEqual(new[] { "root.d", "extra-data.d", "pre-install.d", "install.d", "post-install.d",
            "post-root.d", "block-device.d", "pre-finalise.d", "finalise.d", "cleanup.d" },
            ImageFiles.ReadFile(raw, "/probe/order").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            "the restored root stage and the rerun stages make one tree, each phase once");

        // Only the format changes: the tree and the disk are reused, only conversion runs.
        var qcow2 = project.Build("-p:ImageFormats=qcow2");
        qcow2.AssertSucceeded();
        StringAssert.Contains(qcow2.Output, "Skipping target \"_DibPlanStages\" because all output files are up-to-date");
        StringAssert.Contains(qcow2.Output, "Skipping target \"_DibBlockDevice\" because all output files are up-to-date");
        Assert.IsTrue(File.Exists(Path.Combine(project.OutputDirectory(), "incremental.qcow2")));

        // The script changes back: every stage is a cache hit, nothing runs in a chroot.
        File.WriteAllText(script, File.ReadAllText(script).Replace("echo changed >> /probe/changed\n", ""));
        var back = project.Build("-p:ImageFormats=qcow2");
        back.AssertSucceeded();
        StringAssert.Contains(back.Output, "stage finalise: skipped (cache hit, restored)");
        Assert.DoesNotContain("install.d [", back.Output, "no script runs");
    }

    [TestMethod]
    public void CachePoint_ALateScriptChanges_ResumesTheStageAfterTheEarlierScript()
    {
        using var project = ImageProject.Create("cachepoint", """
            <PropertyGroup>
              <ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath>
              <DiskImageCachePointSeconds>0</DiskImageCachePointSeconds>
            </PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="point-probe" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.AddTestElement("point-probe");
        var raw = Path.Combine(project.OutputDirectory(), "cachepoint.raw");
        var cold = project.Build();
        cold.AssertSucceeded();
        StringAssert.Contains(cold.Output, "install.d/10-first took");

        // The late script changes: the tree after 10-first comes from the cache, 10-first does not run again.
        var late = Path.Combine(project.Directory, "elements", "point-probe", "install.d", "50-late");
        File.WriteAllText(late, File.ReadAllText(late).Replace("late-1", "late-2"));
        var afterLate = project.Build();
        afterLate.AssertSucceeded();
        StringAssert.Contains(afterLate.Output, "stage root: skipped (cache hit)");
        StringAssert.Contains(afterLate.Output,
            "stage install: runs (cache miss: element 'point-probe' install.d/50-late changed; resumes after install.d/10-first (cache hit, restored))");
        StringAssert.Contains(afterLate.Output, "install.d: 5 script(s) skipped"); // base's 00-baseline-environment, 00-up-to-date and 10-cloud-init, 01-package-installs, 10-first
        Assert.DoesNotContain("] 10-first (point-probe)", afterLate.Output, "the restored script does not run again");
        Assert.AreEqual("late-2", ImageFiles.ReadFile(raw, "/probe/late").Trim());
        Assert.AreEqual("first-1", ImageFiles.ReadFile(raw, "/probe/first-runs").Trim(), "10-first's result, once");

        // The early script changes: no point of this stage matches any more past it, 10-first runs again.
        var first = Path.Combine(project.Directory, "elements", "point-probe", "install.d", "10-first");
        File.WriteAllText(first, File.ReadAllText(first).Replace("first-1", "first-2"));
        var afterFirst = project.Build();
        afterFirst.AssertSucceeded();
        Assert.DoesNotContain("resumes after install.d/10-first", afterFirst.Output);
        StringAssert.Contains(afterFirst.Output, "] 10-first (point-probe)");
        Assert.AreEqual("first-2", ImageFiles.ReadFile(raw, "/probe/first-runs").Trim());
        Assert.AreEqual("late-2", ImageFiles.ReadFile(raw, "/probe/late").Trim());
        ImageFiles.AssertFilesystemClean(raw);
    }

    [TestMethod]
    public void StageCache_CorruptEntry_IsDetectedRemovedAndRebuilt()
    {
        using var project = ImageProject.Create("corrupt", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath><DiskImageCachePointSeconds>100000</DiskImageCachePointSeconds></PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        project.Build().AssertSucceeded();
        var record = File.ReadAllText(Path.Combine(project.IntermediateDirectory(), "dib", "stages.json"));
        var finaliseKey = project.Build("-t:Rebuild").Lines()
            .Select(l => l.Trim()).First(l => l.StartsWith("stage finalise:", StringComparison.Ordinal));
        var key = finaliseKey[(finaliseKey.LastIndexOf('[') + 1)..^1];
        var entry = Directory.EnumerateFiles(Path.Combine(ImageProject.CacheDirectory, "stages"), key + "*.tar.zst").Single();
        using (var stream = new FileStream(entry, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            var b = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b ^ 0xFF));
        }
        _ = record;

        // A fresh checkout of the project (no obj/) must not use the corrupt entry.
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        var rebuilt = project.Build();

        rebuilt.AssertSucceeded();
        StringAssert.Contains(rebuilt.Output, "warning DIB6901");
        StringAssert.Contains(rebuilt.Output, "stage finalise: runs");
        StringAssert.Contains(rebuilt.Output, "stage post-root: skipped (cache hit, restored)");
        ImageFiles.AssertFilesystemClean(Path.Combine(project.OutputDirectory(), "corrupt.raw"));
    }

    [TestMethod]
    public void StageCache_WhatAKilledWriterLeaves_IsIgnoredAndTheEntryWrittenAgain()
    {
        using var project = ImageProject.Create("killedwriter", """
            <PropertyGroup><ImageFormats>raw</ImageFormats><ElementsPath>elements</ElementsPath></PropertyGroup>
            <ItemGroup><Element Include="tiny-os" /><Element Include="block-device-mbr" /></ItemGroup>
            """);
        project.AddTestElement("tiny-os");
        var first = project.Build();
        first.AssertSucceeded();
        var key = StageKeyPrefix(first, "finalise");
        var stages = Path.Combine(ImageProject.CacheDirectory, "stages");
        var entry = Directory.EnumerateFiles(stages, key + "*.tar.zst").Single();
        var fullKey = Path.GetFileName(entry)[..^".tar.zst".Length];

        // What a build killed in the middle of writing this entry leaves: no entry and no digest under
        // the final names, a half-written temporary file, and the lock file (its kernel lock died with it).
        File.Delete(entry);
        File.Delete(Path.Combine(stages, fullKey + ".sha256"));
        File.WriteAllText(Path.Combine(stages, $"{fullKey}.tar.zst.partial-99999"), "half an archive");
        File.WriteAllText(Path.Combine(stages, $"{fullKey}.lock"), "");
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);

        var second = project.Build();
        second.AssertSucceeded();
        StringAssert.Contains(second.Output, "stage finalise: runs", "the missing entry is a miss, the partial file is not used");
        Assert.IsTrue(File.Exists(entry), "the entry is written again");

        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        var third = project.Build();
        third.AssertSucceeded();
        StringAssert.Contains(third.Output, "stage finalise: skipped (cache hit, restored)");
        ImageFiles.AssertFilesystemClean(Path.Combine(project.OutputDirectory(), "killedwriter.raw"));
    }

    private static string StageKeyPrefix(BuildResult build, string stage)
    {
        var line = build.Lines().Select(l => l.Trim()).First(l => l.StartsWith($"stage {stage}:", StringComparison.Ordinal));
        return line[(line.LastIndexOf('[') + 1)..^1];
    }
}
