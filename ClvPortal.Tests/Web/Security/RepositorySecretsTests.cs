using System.Text.Json;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// No credential is committed: every password, secret, key or token setting in the appsettings files
/// is empty, and no connection string carries a password. Real values come from the environment.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RepositorySecretsTests
{
    private static readonly string[] SecretNames = ["password", "secret", "apikey", "api_key", "token", "privatekey", "clientsecret"];

    [Fact]
    public void AppSettings_EveryProject_NoNonEmptySecret()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "appsettings*.json", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();
        var offences = new List<string>();

        foreach (var file in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Walk(json.RootElement, Path.GetRelativePath(root, file), "", offences);
        }

        Assert.NotEmpty(files);
        Assert.True(offences.Count == 0, "Secrets committed:\n" + string.Join("\n", offences));
    }

    private static void Walk(JsonElement element, string file, string path, List<string> offences)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}:{property.Name}";
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } value
                        && (IsSecretName(property.Name) || HasEmbeddedPassword(value)))
                    {
                        offences.Add($"{file}: {childPath}");
                    }
                    Walk(property.Value, file, childPath, offences);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, file, $"{path}:{i++}", offences);
                }
                break;
        }
    }

    private static bool IsSecretName(string name) =>
        SecretNames.Any(s => name.Replace("_", "", StringComparison.Ordinal).Contains(s.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    // mongodb://user:password@host, or Password=... in an ADO-style string.
    private static bool HasEmbeddedPassword(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"://[^/\s:@]+:[^@\s]+@|(?i)\b(password|pwd)\s*=\s*[^;\s]");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClvPortal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ClvPortal.sln not found above the test binaries.");
    }
}
