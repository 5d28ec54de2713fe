using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Results;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClvPortal.Web.Setup;

public static class AnalysisSetup
{
    public static void AddPortalAnalysis(this WebApplicationBuilder builder)
    {
        // Uploads, the analysis job and its results writer, and the "My analyses" pages.
        builder.AddPortalUploads();

        // Results: dashboard, customer table, exports, share links (ClvPortal.Web/Results).
        builder.AddPortalResults();
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new PipelineRunner(ClvPipeline.Run));
        builder.Services.AddSingleton<ResultWriter>();
        builder.Services.AddTransient<AnalyzeUploadJob>();
    }
}
