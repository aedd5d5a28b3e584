using System.Globalization;
using System.Text.Json;

namespace DiskImageBuilder.Outputs;

/// <summary>
/// The image configuration (OCI image spec, config.md), which docker-archive uses unchanged: platform, run
/// defaults, the layer's diff_id and one history entry. Written with a fixed member order and labels sorted by name,
/// so the same inputs give the same digest.
/// </summary>
internal static class ContainerImageConfig
{
    /// <summary>rootfs.type: the only value the spec defines.</summary>
    private const string RootfsType = "layers";

    /// <summary>history[].created_by: what made the layer, as "docker history" shows it.</summary>
    private const string CreatedBy = "DiskImageBuilder.Sdk: root tree of the image build";

    public static byte[] Serialize(ContainerImageOptions options, ContainerPlatform platform, string diffId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var created = FormatTime(options.Created);
            json.WriteStartObject();
            json.WriteString("created", created);
            json.WriteString("architecture", platform.Architecture);
            if (platform.Variant is not null)
                json.WriteString("variant", platform.Variant);
            json.WriteString("os", ContainerPlatform.OperatingSystem);

            json.WriteStartObject("config");
            WriteStrings(json, "Env", options.EffectiveEnv);
            if (options.EffectiveCmd.Count > 0)
                WriteStrings(json, "Cmd", options.EffectiveCmd);
            json.WriteStartObject("Labels");
            foreach (var (name, value) in (options.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal))
                json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("rootfs");
            json.WriteString("type", RootfsType);
            WriteStrings(json, "diff_ids", [diffId]);
            json.WriteEndObject();

            json.WriteStartArray("history");
            json.WriteStartObject();
            json.WriteString("created", created);
            json.WriteString("created_by", CreatedBy);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>RFC 3339 in UTC, fractions only when there are any, as Go's time.Time marshals.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
