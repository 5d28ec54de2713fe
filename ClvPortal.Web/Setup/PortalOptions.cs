namespace ClvPortal.Web.Setup;

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

    public bool RunsWeb => HasRole("web");

    public bool RunsWorker => HasRole("worker");

    private bool HasRole(string role) =>
        Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);
}
