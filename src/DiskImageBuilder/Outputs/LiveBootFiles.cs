namespace DiskImageBuilder.Outputs;

/// <summary>
/// What the outputs that boot the image live (iso, ipxe) give the kernel: the whole tree as its initramfs, and a
/// command line with the console on the screen and on the first serial port, the last of which systemd and the
/// login prompt use.
/// </summary>
public static class LiveBootFiles
{
    /// <summary>The kernel command line of a live boot on amd64.</summary>
    public const string KernelArguments = "console=tty0 console=ttyS0,115200";

    /// <summary>GRUB's menu: one entry, shown for a second on the screen and on the serial port.</summary>
    public static string GrubConfig(string title, string kernel, string initramfs) => $$"""
        # Written by DiskImageBuilder.Sdk: boots the image live, from RAM.
        serial --unit=0 --speed=115200
        terminal_input console serial
        terminal_output console serial
        set timeout=1
        menuentry '{{title.Replace("'", "", StringComparison.Ordinal)}} (live, from RAM)' {
            linux {{kernel}} {{KernelArguments}}
            initrd {{initramfs}}
        }

        """;
}
