using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// Queues the analysis of uploads that were stored but never queued: the upload endpoint saves the
/// file and the upload document, then enqueues the job, and a web process that stops between the two
/// would leave the upload "Queued" for ever. Runs on worker processes; several may sweep at once, and
/// only the one that records its job id on the upload keeps its job.
/// <para>
/// It also deletes the chunks of files that never finished arriving: GridFS writes a file's entry only
/// when the last chunk is stored, so a web process that stops mid-upload leaves chunks nobody lists.
/// </para>
/// </summary>
public sealed class StrandedUploadSweeper(
    PortalDb db,
    IBackgroundJobClient jobs,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<StrandedUploadSweeper> logger) : BackgroundService
{
    /// <summary>Queues the stranded uploads older than <see cref="UploadOptions.StrandedAfterSeconds"/>; returns how many.</summary>
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

    /// <summary>
    /// How often the chunk pass runs: it reads the GridFS chunk index, which grows with every file stored,
    /// and an orphan a day old loses nothing by waiting another hour.
    /// </summary>
    private static readonly TimeSpan ChunkPassInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextChunkPass = clock.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.StrandedCheckSeconds), clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextChunkPass)
                {
                    await RemoveAbandonedChunksAsync(stoppingToken);
                    nextChunkPass = clock.GetUtcNow() + ChunkPassInterval;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // MongoDB or the job storage not reachable yet: the next tick tries again.
                logger.LogWarning(ex, "Looking for uploads whose analysis was never queued, or that never finished arriving, failed; trying again in {Seconds} s", options.Value.StrandedCheckSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
