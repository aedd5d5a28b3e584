using System.Text;
using System.Text.Json;

namespace DiskImageBuilder.Publishing;

/// <summary>
/// Credentials for a push, from the environment only: SDK_CONTAINER_REGISTRY_UNAME and SDK_CONTAINER_REGISTRY_PWORD, else
/// DOTNET_CONTAINER_REGISTRY_UNAME and DOTNET_CONTAINER_REGISTRY_PWORD (the names the .NET SDK's container publishing
/// reads; MSBuild's binary log records DOTNET_* variables, so the SDK_ names are the ones to use). Without them skopeo
/// reads the registry's usual credential files itself ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
/// ~/.docker/config.json). They are written to a private auth file for skopeo, never to a command line or a log.
/// </summary>
public sealed class RegistryCredentials
{
    public const string UserVariable = "SDK_CONTAINER_REGISTRY_UNAME";
    public const string PasswordVariable = "SDK_CONTAINER_REGISTRY_PWORD";
    private const string LegacyUserVariable = "DOTNET_CONTAINER_REGISTRY_UNAME";
    private const string LegacyPasswordVariable = "DOTNET_CONTAINER_REGISTRY_PWORD";

    private RegistryCredentials(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    /// <summary>The credentials the environment gives, or null.</summary>
    public static RegistryCredentials? FromEnvironment()
    {
        foreach (var (userVariable, passwordVariable) in new[] { (UserVariable, PasswordVariable), (LegacyUserVariable, LegacyPasswordVariable) })
        {
            var user = Environment.GetEnvironmentVariable(userVariable);
            var password = Environment.GetEnvironmentVariable(passwordVariable);
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
                return new RegistryCredentials(user, password);
        }
        return null;
    }

    /// <summary>Writes a containers-auth.json for <paramref name="registry"/> readable by root only.</summary>
    public void WriteAuthFile(string path, string registry)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [registry] = new Dictionary<string, string> { ["auth"] = auth } },
        });
        using (File.Create(path))
        {
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, json);
    }

    /// <summary><paramref name="text"/> with the user name and password replaced, for messages.</summary>
    public string Scrub(string text) =>
        text.Replace(Password, "***", StringComparison.Ordinal).Replace(User, "<user>", StringComparison.Ordinal);
}
