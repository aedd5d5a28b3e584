using DiskImageBuilder.Outputs;

namespace DiskImageBuilder.Tests.Outputs;

[TestClass]
public sealed class PortagePackagesTests
{
    private static string Package(string tree, string category, string pf, string? chost = "x86_64-pc-linux-gnu")
    {
        var dir = Path.Combine(tree, "var", "db", "pkg", category, pf);
        Directory.CreateDirectory(dir);
        if (chost is not null)
            File.WriteAllText(Path.Combine(dir, "CHOST"), chost + "\n");
        return dir;
    }

    [TestMethod]
    public void Read_GivesCategoryNameVersionAndArchitecture_SortedByCategoryAndPackage()
    {
        var tree = Directory.CreateTempSubdirectory("dib-portage-").FullName;
        try
        {
            Package(tree, "sys-kernel", "gentoo-kernel-bin-6.12.1");
            Package(tree, "app-admin", "sudo-1.9.16_p2-r1");
            Package(tree, "dev-lang", "python-3.12.7_p1", chost: "aarch64-unknown-linux-gnu");
            Package(tree, "x11-libs", "gtk+-3.24.43", chost: null);

            CollectionAssert.AreEqual(new[]
            {
                "app-admin/sudo\t1.9.16_p2-r1\tx86_64",
                "dev-lang/python\t3.12.7_p1\taarch64",
                "sys-kernel/gentoo-kernel-bin\t6.12.1\tx86_64",
                "x11-libs/gtk+\t3.24.43\t",
            }, PortagePackages.Read(tree).ToArray());
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }

    [TestMethod]
    public void Read_FollowsNoLink_AndATreeWithoutPortageHasNoPackages()
    {
        var tree = Directory.CreateTempSubdirectory("dib-portage-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("dib-portage-elsewhere-").FullName;
        try
        {
            Assert.IsEmpty(PortagePackages.Read(tree));
            Package(elsewhere, "app-misc", "outside-1.0");
            // /var/db a link out of the tree: nothing is read through it.
            Directory.CreateDirectory(Path.Combine(tree, "var"));
            Directory.CreateSymbolicLink(Path.Combine(tree, "var", "db"), Path.Combine(elsewhere, "var", "db"));
            Assert.IsEmpty(PortagePackages.Read(tree));
            // A category that is a link is skipped too.
            Directory.Delete(Path.Combine(tree, "var", "db"));
            Package(tree, "app-admin", "sudo-1.9.16");
            Directory.CreateSymbolicLink(Path.Combine(tree, "var", "db", "pkg", "app-misc"), Path.Combine(elsewhere, "var", "db", "pkg", "app-misc"));
            CollectionAssert.AreEqual(new[] { "app-admin/sudo\t1.9.16\tx86_64" }, PortagePackages.Read(tree).ToArray());
            // A CHOST that is a pipe is never opened (reading it would wait forever).
            var piped = Package(tree, "app-text", "piped-1.0", chost: null);
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(piped, "CHOST")))
            {
                mkfifo.WaitForExit();
                Assert.AreEqual(0, mkfifo.ExitCode, "mkfifo");
            }
            CollectionAssert.Contains(PortagePackages.Read(tree).ToArray(), "app-text/piped\t1.0\t");
        }
        finally
        {
            Directory.Delete(tree, true);
            Directory.Delete(elsewhere, true);
        }
    }
}
