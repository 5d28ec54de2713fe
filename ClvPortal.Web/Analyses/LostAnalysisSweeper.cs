using ClvPortal.Web.Data;
using ClvPortal.Web.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// Finishes uploads whose analysis job can no longer finish them: the job failed for good (its last
/// attempt could not write the outcome, e.g. MongoDB went away), was deleted (from <c>/hangfire</c>), or is
/// gone from the job storage. Such an upload would stay "Queued" or "Running" for ever, and its owner would
/// never hear. It is marked failed with the usual message, and its owner gets one email (the email job sends
/// once per outcome). A Hangfire recurring job (<see cref="RecurringJobId"/>, every minute): one run per
/// minute for the whole fleet, listed on the dashboard.
/// </summary>
public sealed class LostAnalysisSweeper(
    PortalDb db,
    JobStorage storage,
    IAnalysisOutcomeNotifier notifier,
    IOptions<JobsOptions> jobsOptions,
    TimeProvider clock,
    ILogger<LostAnalysisSweeper> logger)
{
    public const string RecurringJobId = "finish-lost-analyses";

    /// <summary>Marks the lost uploads failed and queues their emails; returns how many.</summary>
    // Not retried: the next minute's run is the retry.
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        // An upload that started or was queued within the invisibility timeout may still have a worker writing
        // to it (a job deleted mid-run stops at its next cancellation check): leave it until that has passed.
        var quietSince = clock.GetUtcNow().UtcDateTime - jobsOptions.Value.InvisibilityTimeout;
        var unfinished = await db.Uploads
            .Find(u => (u.Status == UploadStatus.Queued || u.Status == UploadStatus.Running) && u.JobId != null)
            .Project(u => new { u.Id, u.JobId, u.CreatedAt, u.StartedAt })
            .Limit(1000)
            .ToListAsync(ct);

        var finished = 0;
        using var connection = storage.GetConnection();
        foreach (var upload in unfinished.Where(u => (u.StartedAt ?? u.CreatedAt) < quietSince))
        {
            var state = connection.GetJobData(upload.JobId!)?.State;
            if (state is not null && state != FailedState.StateName && state != DeletedState.StateName)
            {
                // Queued, scheduled for a retry, processing (a dead worker's job is taken over by Hangfire), or done.
                continue;
            }

            var marked = await db.Uploads.UpdateOneAsync(
                u => u.Id == upload.Id && u.JobId == upload.JobId && (u.Status == UploadStatus.Queued || u.Status == UploadStatus.Running),
                Builders<UploadDocument>.Update
                    .Set(u => u.Status, UploadStatus.Failed)
                    .Set(u => u.Stage, "Failed")
                    .Set(u => u.Percent, 0)
                    .Set(u => u.FinishedAt, clock.GetUtcNow().UtcDateTime)
                    .Set(u => u.Error, AnalyzeUploadJob.GenericError)
                    .Set(u => u.ErrorWhatToDo, AnalyzeUploadJob.GenericWhatToDo),
                cancellationToken: ct);
            if (marked.ModifiedCount == 0)
            {
                // Finished, deleted or re-queued meanwhile.
                continue;
            }

            notifier.Notify(upload.Id);
            finished++;
            logger.LogWarning("Upload {UploadId} was left unfinished by its analysis job {JobId} ({State}); marked it failed", upload.Id, upload.JobId, state ?? "gone");
        }

        return finished;
    }
}
