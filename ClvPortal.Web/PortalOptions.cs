namespace ClvPortal.Web;

/// <summary>The <c>Portal</c> configuration section.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Name of the MongoDB database; default "clvportal".</summary>
    public string Database { get; set; } = "clvportal";

    /// <summary>Emails that get the Admin role on sign-up or at start-up.</summary>
    public List<string> AdminEmails { get; set; } = [];

    /// <summary>
    /// What this process does: "web" (pages only), "worker" (jobs only) or "web,worker" (both, the default).
    /// A fleet runs web and worker processes on different machines against one MongoDB.
    /// </summary>
    public string Roles { get; set; } = "web,worker";

    /// <summary>Absolute base URL used in emailed links, e.g. https://clv.example.com.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary>
    /// Default false: outside Development the portal only works over HTTPS (its cookies are Secure),
    /// directly or behind a TLS-terminating proxy listed in <c>Portal:Proxy</c>, and answers plain-HTTP
    /// requests with a page saying so. True lets it work over plain HTTP, for trying it on one machine
    /// (docker compose); never on a network others share.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// The section as bound at start-up, for setup code that decides what to register before the
    /// container exists (services read <c>IOptions&lt;PortalOptions&gt;</c> instead).
    /// </summary>
    public static PortalOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PortalOptions>() ?? new PortalOptions();

    public bool RunsWeb => HasRole("web");

    public bool RunsWorker => HasRole("worker");

    private bool HasRole(string role) =>
        Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);
}
