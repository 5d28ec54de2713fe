using ClvPortal.Web.Analyses;

namespace ClvPortal.Web.Setup;

public static class AnalysisSetup
{
    public static void AddPortalAnalysis(this WebApplicationBuilder builder)
    {
        // Uploads, the analysis job and its results writer, and the "My analyses" pages.
        builder.AddPortalUploads();

        // Results pages, exports and share links register below.
    }

    /// <summary>Maps the endpoints that are not Razor Pages.</summary>
    public static void MapPortalAnalysis(this WebApplication app)
    {
        // Streaming upload: the only endpoint with a raised request size limit.
        app.MapUploadEndpoint();
    }

    private static void AddPortalUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new PipelineRunner(static (_, _, _, _, _) =>
            throw new NotSupportedException("The CLV pipeline is not available in this build.")));
        builder.Services.AddSingleton<ResultWriter>();
        builder.Services.AddTransient<AnalyzeUploadJob>();
    }
}
