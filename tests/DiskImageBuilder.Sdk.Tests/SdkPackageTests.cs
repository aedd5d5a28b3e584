using System.IO.Compression;
using DiskImageBuilder.Sdk.Tests.Infrastructure;

namespace DiskImageBuilder.Sdk.Tests;

/// <summary>The packed SDK: what a user's NuGet restore gets.</summary>
[TestClass]
public sealed class SdkPackageTests
{
    [TestMethod]
    public void Package_HasSdkFilesTasksAndElements_AndNoMSBuildAssemblies()
    {
        using var package = ZipFile.OpenRead(PackedSdk.Instance.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();

        CollectionAssert.Contains(entries, "Sdk/Sdk.props");
        CollectionAssert.Contains(entries, "Sdk/Sdk.targets");
        foreach (var assembly in new[] { "DiskImageBuilder.Tasks.dll", "DiskImageBuilder.dll", "YamlDotNet.dll", "CliWrap.dll", "DiskImageBuilder.Tasks.deps.json" })
            CollectionAssert.Contains(entries, "tasks/net10.0/" + assembly);
        foreach (var element in new[] { "base", "debian-minimal", "vm", "bootloader", "block-device-mbr", "dpkg", "package-installs", "install-bin",
                     "source-repositories", "install-types", "svc-map", "pkg-map", "manifests",
                     "debian", "cloud-init", "cloud-init-datasources", "openssh-server", "devuser", "growroot", "dhcp-all-interfaces", "install-static",
                     "sysctl", "modprobe", "disable-nouveau", "enable-serial-console", "journal-to-console", "stable-interface-names",
                     "dracut-regenerate", "cleanup-kernel-initrd", "select-boot-kernel-initrd", "dkms", "posix", "fail2ban", "autoupdates",
                     "tpm-emulator", "dynamic-login", "runtime-ssh-host-keys", "dib-init-system" })
            Assert.IsTrue(entries.Any(e => e.StartsWith($"elements/{element}/", StringComparison.Ordinal)), $"element {element} is not packed");
        // Every file of every built-in element ships, with its path (bin/ and static/**/bin/ folders too).
        var elementsRoot = Path.Combine(Repository.Root, "sdk", "DiskImageBuilder.Sdk", "elements");
        var missing = Directory.EnumerateFiles(elementsRoot, "*", SearchOption.AllDirectories)
            .Select(f => "elements/" + Path.GetRelativePath(elementsRoot, f).Replace('\\', '/'))
            .Where(f => !entries.Contains(f)).ToList();
        Assert.IsEmpty(missing, "element files not packed: " + string.Join(", ", missing));
        CollectionAssert.Contains(entries, "elements/dynamic-login/static/usr/local/bin/dynamic-login");
        // The tools that element scripts call ship in the elements' bin/ folders.
        foreach (var tool in new[] { "elements/dpkg/bin/install-packages", "elements/svc-map/bin/svc-map", "elements/pkg-map/bin/pkg-map",
                     "elements/sysctl/bin/sysctl-set-value", "elements/sysctl/bin/sysctl-write-value", "elements/select-boot-kernel-initrd/bin/select-boot-kernel-initrd" })
            CollectionAssert.Contains(entries, tool);
        // diskimage-builder's scripts source $_LIB/img-functions from beside the elements.
        CollectionAssert.Contains(entries, "lib/img-functions");
        var msbuild = entries.Where(e => Path.GetFileName(e).StartsWith("Microsoft.Build", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(msbuild, "MSBuild's own assemblies must never ship: " + string.Join(", ", msbuild));
        var nuspec = entries.Single(e => e.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(package.GetEntry(nuspec)!.Open());
        var manifest = reader.ReadToEnd();
        StringAssert.Contains(manifest, "<packageType name=\"MSBuildSdk\" />");
        // nuget.org and the IDEs' package managers show the package's readme; the errors' help links need the table.
        StringAssert.Contains(manifest, "<readme>README.md</readme>");
        StringAssert.Contains(manifest, "<icon>icon.png</icon>");
        StringAssert.Contains(manifest, "<license type=\"expression\">Apache-2.0</license>");
        StringAssert.Matches(manifest, new System.Text.RegularExpressions.Regex("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\""),
            "the package names the commit it was built from");
        CollectionAssert.Contains(entries, "icon.png");
        CollectionAssert.Contains(entries, "README.md");
        CollectionAssert.Contains(entries, "docs/errors.md");
    }

    [TestMethod]
    public void TemplatesPackage_IsATemplatePackageWhoseImageTemplatePinsTheSameSdkVersion()
    {
        using var package = ZipFile.OpenRead(PackedSdk.Instance.TemplatesPackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();

        foreach (var file in new[] { "content/imgproj/.template.config/template.json", "content/imgproj/my-image.imgproj", "content/imgproj/global.json",
                     "content/imgproj/elements/motd/install.d/50-motd", "content/dib-element/.template.config/template.json",
                     "content/dib-element/my-element/install.d/50-my-element", "content/dib-element/my-element/package-installs.yaml", "README.md" })
            CollectionAssert.Contains(entries, file);
        using var nuspec = new StreamReader(package.GetEntry(entries.Single(e => e.EndsWith(".nuspec", StringComparison.Ordinal)))!.Open());
        StringAssert.Contains(nuspec.ReadToEnd(), "<packageType name=\"Template\" />");
        using var template = new StreamReader(package.GetEntry("content/imgproj/.template.config/template.json")!.Open());
        StringAssert.Contains(template.ReadToEnd(), $"\"defaultValue\": \"{PackedSdk.Instance.Version}\"", "sdkVersion defaults to the packed SDK's version");
    }
}
