namespace DiskImageBuilder.Host;

/// <summary>A program the build runs on the host, and the Debian package that provides it.</summary>
/// <param name="Alternatives">Other program names that do the same job (e.g. debootstrap for mmdebstrap).</param>
public sealed record HostTool(string Program, string Package, string Purpose, params string[] Alternatives);
