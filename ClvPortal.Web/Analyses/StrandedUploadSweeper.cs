using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// Queues the analysis of uploads that were stored but never queued: the upload endpoint saves the
/// file and the upload document, then enqueues the job, and a web process that stops between the two
/// would leave the upload "Queued" for ever. A Hangfire recurring job (<see cref="RecurringJobId"/>, every minute):
/// one run per minute for the whole fleet, listed on the dashboard. Two sweeps at once (a run triggered by hand from
/// the dashboard) are harmless: only the one that records its job id on the upload keeps its job.
/// <para>
/// It also deletes the chunks of files that never finished arriving: GridFS writes a file's entry only
/// when the last chunk is stored, so a web process that stops mid-upload leaves chunks nobody lists. Its own
/// recurring job (<see cref="ChunksRecurringJobId"/>, every hour).
/// </para>
/// </summary>
public sealed class StrandedUploadSweeper(
    PortalDb db,
    IBackgroundJobClient jobs,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<StrandedUploadSweeper> logger)
{
    public const string RecurringJobId = "queue-stranded-uploads";

    public const string ChunksRecurringJobId = "remove-abandoned-upload-chunks";

    /// <summary>Queues the stranded uploads older than <see cref="UploadOptions.StrandedAfterSeconds"/>; returns how many.</summary>
    // Not retried: the next minute's run is the retry.
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.StrandedAfterSeconds);
        var stranded = await db.Uploads
            .Find(u => u.Status == UploadStatus.Queued && u.JobId == null && u.CreatedAt < cutoff)
            .Project(u => u.Id)
            .Limit(100)
            .ToListAsync(ct);

        var queued = 0;
        foreach (var uploadId in stranded)
        {
            var jobId = jobs.Enqueue<AnalyzeUploadJob>(job => job.RunAsync(uploadId, null, CancellationToken.None));
            var claimed = await db.Uploads.UpdateOneAsync(
                u => u.Id == uploadId && u.JobId == null,
                Builders<UploadDocument>.Update.Set(u => u.JobId, jobId),
                cancellationToken: ct);
            if (claimed.ModifiedCount == 0)
            {
                // Another worker queued it first (or it was deleted): one job per upload.
                jobs.Delete(jobId);
                continue;
            }

            queued++;
            logger.LogWarning("Upload {UploadId} was stored but its analysis was never queued; queued it now as job {JobId}", uploadId, jobId);
        }

        return queued;
    }

    /// <summary>
    /// Deletes the chunks of files without a GridFS entry, begun more than
    /// <see cref="UploadOptions.AbandonedChunksAfterSeconds"/> ago; returns how many files' chunks.
    /// </summary>
    // Not retried: the next hour's run is the retry.
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RemoveAbandonedChunksAsync(CancellationToken ct)
    {
        // A GridFS file id is an ObjectId made when the upload began, so its timestamp dates the upload.
        var cutoff = ObjectId.GenerateNewId(clock.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.AbandonedChunksAfterSeconds));
        var chunks = db.Files.Database.GetCollection<BsonDocument>(db.Files.Options.BucketName + ".chunks");
        var begunBefore = Builders<BsonDocument>.Filter.Lt("files_id", cutoff);
        var fileIds = await (await chunks.DistinctAsync<ObjectId>("files_id", begunBefore, cancellationToken: ct)).ToListAsync(ct);
        if (fileIds.Count == 0)
        {
            return 0;
        }

        var listed = await db.Files.Database.GetCollection<BsonDocument>(db.Files.Options.BucketName + ".files")
            .Find(Builders<BsonDocument>.Filter.In("_id", fileIds))
            .Project(Builders<BsonDocument>.Projection.Include("_id"))
            .ToListAsync(ct);
        var abandoned = fileIds.Except(listed.Select(f => f["_id"].AsObjectId)).ToList();
        if (abandoned.Count > 0)
        {
            var deleted = await chunks.DeleteManyAsync(Builders<BsonDocument>.Filter.In("files_id", abandoned), ct);
            logger.LogWarning("Deleted {Chunks} chunks of {Files} uploads that never finished arriving", deleted.DeletedCount, abandoned.Count);
        }

        return abandoned.Count;
    }
}
