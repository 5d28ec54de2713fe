using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Jobs;
using ClvPortal.Web.Results;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        builder.Services.AddOptions<AnalysisOptions>().BindConfiguration(AnalysisOptions.Section);
        builder.Services.AddSingleton(sp => ShippedModel.Load(
            sp.GetRequiredService<IOptions<AnalysisOptions>>().Value.ShippedModelPath,
            sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<JobsOptions>>().Value.ThreadsPerJob,
            sp.GetRequiredService<ILogger<ShippedModel>>()));
        builder.Services.AddSingleton(sp =>
        {
            var shipped = sp.GetRequiredService<ShippedModel>().Model;
            // Concurrent jobs share the cores instead of each taking all of them (see JobsOptions.ThreadsPerJob).
            var threads = sp.GetRequiredService<IOptions<JobsOptions>>().Value.ThreadsPerJob;
            return new PipelineRunner((input, fileName, options, progress, ct) =>
                ClvPipeline.Run(input, fileName, PipelineRunner.WithThreads(options, threads) with { ShippedModel = shipped }, progress, ct));
        });
        builder.Services.AddSingleton<ResultWriter>();
        builder.Services.AddTransient<AnalyzeUploadJob>();
        builder.Services.AddTransient<StrandedUploadSweeper>();
        builder.Services.AddTransient<LostAnalysisSweeper>();
        if (PortalOptions.From(builder.Configuration).RunsWorker)
        {
            // Workers register the recurring jobs: every minute, queue uploads whose web process stopped before queuing
            // them, and fail (with an email) uploads whose analysis job failed, was deleted or vanished; every hour,
            // delete the chunks of files that never finished arriving.
            builder.Services.AddHostedService<RecurringJobsRegistration>();
        }
    }
}
