namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>
/// Removes the test run's folder (private feed, package folder, stage and download cache, projects)
/// when the run ends, unless DIB_KEEP_TEST_PROJECTS=1 asks to keep it for a look.
/// </summary>
[TestClass]
public static class TestRunCleanup
{
    [AssemblyCleanup]
    public static void RemoveRunFolder()
    {
        // Work started in the background ends (its builds and boots have their own time limits) before its folder goes.
        if (ForeignArchitectureBuild.Started)
        {
            try
            {
                ForeignArchitectureBuild.Wait();
            }
            catch (Exception)
            {
                // Its class reported the failure; the folder goes anyway.
            }
        }
        BackgroundBuilds.WaitForFixtures();
        // The RPM fixture's registry and repository server serve two classes (container and minimal), so they stop here.
        if (RpmFamilyContainerTests.Server.IsValueCreated)
            RpmFamilyContainerTests.Server.Value.Dispose();
        if (Environment.GetEnvironmentVariable("DIB_KEEP_TEST_PROJECTS") == "1" || !PackedSdk.WasPacked)
            return;
        try
        {
            Directory.Delete(PackedSdk.Instance.Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp folder.
        }
    }
}
