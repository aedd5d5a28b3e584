using System.Text.Json;

namespace DiskImageBuilder.Sdk.Tests.Infrastructure;

/// <summary>Reads image files back with independent tools: sfdisk, e2fsck, debugfs, qemu-img.</summary>
internal static class ImageFiles
{
    public const long FirstPartitionOffset = 1024 * 1024;

    /// <summary>sfdisk --json's partition table of a raw disk.</summary>
    public static JsonElement PartitionTable(string raw) =>
        JsonDocument.Parse(Command.RunChecked("sfdisk", "--json", raw)).RootElement.GetProperty("partitiontable");

    /// <summary>A file of the ext4 filesystem at <paramref name="offset"/>, read with debugfs (no mount).</summary>
    public static string ReadFile(string raw, string path, long offset = FirstPartitionOffset) =>
        Command.StandardOutput("debugfs", "-R", $"cat {path}", $"{raw}?offset={offset}");

    /// <summary>Whether debugfs finds <paramref name="path"/> in the filesystem.</summary>
    public static bool Exists(string raw, string path, long offset = FirstPartitionOffset) =>
        !Command.Run("debugfs", ["-R", $"stat {path}", $"{raw}?offset={offset}"]).Output.Contains("File not found", StringComparison.Ordinal);

    /// <summary>e2fsck -fn of the filesystem at the offset; fails the test with its output on errors.</summary>
    public static void AssertFilesystemClean(string raw, long offset = FirstPartitionOffset)
    {
        var result = Command.Run("e2fsck", ["-fn", $"{raw}?offset={offset}"]);
        Assert.AreEqual(0, result.ExitCode, "e2fsck found problems:\n" + result.Output);
    }

    /// <summary>qemu-img's view of an image; <paramref name="format"/> names it where probing cannot (a fixed VHD reads as raw).</summary>
    public static JsonElement QemuImgInfo(string image, string? format = null) =>
        JsonDocument.Parse(Command.RunChecked("qemu-img", ["info", "--output=json", .. format is null ? Array.Empty<string>() : ["-f", format], image])).RootElement;
}
