namespace ClvPortal.Web.Setup;

public static class JobsSetup
{
    public static void AddPortalJobs(this WebApplicationBuilder builder)
    {
        // Filled in by the Hangfire work.
        _ = builder;
    }

    public static void MapPortalJobsDashboard(this WebApplication app) => _ = app;

    public static void MapPortalHealth(this WebApplication app) => _ = app;
}
