using ClvPortal.Web.Results;

namespace ClvPortal.Web.Setup;

public static class AnalysisSetup
{
    public static void AddPortalAnalysis(this WebApplicationBuilder builder)
    {
        // Filled in by the portal work: uploads, analysis jobs, results, exports, share links.
        _ = builder;

        // Results: dashboard, customer table, exports, share links (ClvPortal.Web/Results).
        builder.AddPortalResults();
    }
}
