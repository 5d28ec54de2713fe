using ClvPortal.Web.Data;
using Hangfire;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>Queues the analysis of a stored upload, for the upload endpoint, the check-columns step and the sample data.</summary>
public static class AnalysisQueue
{
    /// <summary>
    /// Enqueues the job and records its id on the upload. A process that stops between the two leaves the upload
    /// queued without a job, which <see cref="StrandedUploadSweeper"/> queues later.
    /// </summary>
    public static async Task EnqueueAsync(PortalDb db, IBackgroundJobClient jobs, UploadDocument upload)
    {
        var uploadId = upload.Id;
        upload.JobId = jobs.Enqueue<AnalyzeUploadJob>(job => job.RunAsync(uploadId, null, CancellationToken.None));
        await db.Uploads.UpdateOneAsync(
            Owned.Upload(upload.OwnerId, uploadId),
            Builders<UploadDocument>.Update.Set(u => u.JobId, upload.JobId),
            cancellationToken: CancellationToken.None);
    }
}
