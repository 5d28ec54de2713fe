using ClvPortal.Web.Jobs;
using Hangfire;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// Registers the analyses' recurring jobs once Hangfire's storage answers (it may start after this process). Every
/// worker process registers them; registering is idempotent, and Hangfire runs each once per schedule for the whole
/// fleet, with its history on the dashboard.
/// </summary>
public sealed class RecurringJobsRegistration(
    DeferredJobStorage storage,
    IRecurringJobManager recurring,
    ILogger<RecurringJobsRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _ = storage.Inner;
                recurring.AddOrUpdate<LostAnalysisSweeper>(LostAnalysisSweeper.RecurringJobId, sweeper => sweeper.SweepAsync(CancellationToken.None), Cron.Minutely());
                recurring.AddOrUpdate<StrandedUploadSweeper>(StrandedUploadSweeper.RecurringJobId, sweeper => sweeper.SweepAsync(CancellationToken.None), Cron.Minutely());
                // Hourly: it reads the GridFS chunk index, which grows with every file stored, and an orphan a day
                // old loses nothing by waiting another hour.
                recurring.AddOrUpdate<StrandedUploadSweeper>(StrandedUploadSweeper.ChunksRecurringJobId, sweeper => sweeper.RemoveAbandonedChunksAsync(CancellationToken.None), Cron.Hourly());
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not register the recurring jobs yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
