using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// A web process that stopped between storing an upload and queuing its analysis: a worker queues it,
/// once, after <c>Portal:Uploads:StrandedAfterSeconds</c>, from the workers' minutely recurring job.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class StrandedUploadSweeperTests
{
    [Fact]
    public async Task Sweep_UploadNeverQueued_WorkerQueuesItAndItsAnalysisFinishes()
    {
        await using var web = new PortalWebFactory();
        web.Settings["Portal:Roles"] = "web";
        using var client = await web.RegisterAndLogInAsync(PortalWebFactory.NewEmail("stranded"));
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(30));
        var lostJob = await StrandAsync(web, id);
        // Past Portal:Uploads:StrandedAfterSeconds.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await using var worker = PortalWebFactory.SharingDatabaseOf(web);
        worker.Settings["Portal:Roles"] = "worker";
        worker.Settings["Portal:Uploads:StrandedAfterSeconds"] = "1";
        var storage = worker.Services.GetRequiredService<JobStorage>();
        await Poll.UntilAsync(
            () =>
            {
                using var connection = storage.GetConnection();
                var registered = connection.GetRecurringJobs().ToDictionary(j => j.Id, j => j.Cron);
                return Task.FromResult(
                    registered.GetValueOrDefault(StrandedUploadSweeper.RecurringJobId) == Cron.Minutely()
                    && registered.GetValueOrDefault(StrandedUploadSweeper.ChunksRecurringJobId) == Cron.Hourly());
            },
            AnalysesTestKit.JobTimeout,
            "the worker to register the recurring jobs");
        // Its next minutely run, now.
        worker.Services.GetRequiredService<IRecurringJobManager>().Trigger(StrandedUploadSweeper.RecurringJobId);
        var upload = await AnalysesTestKit.WaitForFinishAsync(web, id);

        Assert.Equal(UploadStatus.Succeeded, upload.Status);
        Assert.Equal(30, upload.Customers);
        Assert.Equal(1, upload.Attempts);
        Assert.NotNull(upload.JobId);
        Assert.NotEqual(lostJob, upload.JobId);
    }

    [Fact]
    public async Task SweepAsync_UploadYoungerThanTheWait_LeftAlone()
    {
        await using var web = new PortalWebFactory();
        web.Settings["Portal:Roles"] = "web";
        using var client = await web.RegisterAndLogInAsync(PortalWebFactory.NewEmail("young"));
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(5));
        await StrandAsync(web, id);

        var queued = await web.Services.GetRequiredService<StrandedUploadSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, queued);
        Assert.Null((await new PortalDb(web.Database).Uploads.Find(u => u.Id == id).SingleAsync()).JobId);
    }

    [Fact]
    public async Task SweepAsync_TwoWorkersAtOnce_OneJobPerUpload()
    {
        await using var web = new PortalWebFactory();
        web.Settings["Portal:Roles"] = "web";
        web.Settings["Portal:Uploads:StrandedAfterSeconds"] = "1";
        using var client = await web.RegisterAndLogInAsync(PortalWebFactory.NewEmail("race"));
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await AnalysesTestKit.UploadOkAsync(client, $"shop{i}.csv", AnalysesTestKit.GeneratedCsv(5 + i)));
            await StrandAsync(web, ids[^1]);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var sweeper = web.Services.GetRequiredService<StrandedUploadSweeper>();
        var queued = await Task.WhenAll(sweeper.SweepAsync(CancellationToken.None), sweeper.SweepAsync(CancellationToken.None));

        Assert.Equal(3, queued.Sum());
        var uploads = await new PortalDb(web.Database).Uploads.Find(u => ids.Contains(u.Id)).ToListAsync();
        // Every job the sweeps created is either the one its upload records or deleted: none runs twice.
        using var storage = web.Services.GetRequiredService<JobStorage>().GetConnection();
        var waiting = web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 1000)
            .Select(j => (Id: j.Key, Data: storage.GetJobData(j.Key)))
            .Where(j => j.Data?.Job.Type == typeof(AnalyzeUploadJob) && j.Data.State == Hangfire.States.EnqueuedState.StateName)
            .Select(j => j.Id)
            .ToHashSet();
        Assert.Equal(uploads.Select(u => u.JobId!).ToHashSet(), waiting);
    }

    [Fact]
    public async Task RemoveAbandonedChunksAsync_UploadCutOffLongAgo_DeletesOnlyItsChunks()
    {
        await using var web = new PortalWebFactory();
        web.Settings["Portal:Roles"] = "web";
        web.Settings["Portal:Uploads:AbandonedChunksAfterSeconds"] = "3600";
        var db = web.Services.GetRequiredService<PortalDb>();
        var chunks = web.Database.GetCollection<BsonDocument>("uploadFiles.chunks");
        var yesterday = DateTime.UtcNow.AddDays(-1);
        var abandoned = ObjectId.GenerateNewId(yesterday);
        var arriving = ObjectId.GenerateNewId(DateTime.UtcNow.AddMinutes(-5));
        foreach (var filesId in new[] { abandoned, arriving })
        {
            await chunks.InsertManyAsync(Enumerable.Range(0, 3).Select(n => new BsonDocument
            {
                ["files_id"] = filesId,
                ["n"] = n,
                ["data"] = new BsonBinaryData(new byte[16]),
            }));
        }
        var stored = ObjectId.GenerateNewId(yesterday);
        await db.Files.UploadFromBytesAsync(stored, "kept.csv", "customer_id,order_date,amount\n"u8.ToArray());

        var removed = await web.Services.GetRequiredService<StrandedUploadSweeper>().RemoveAbandonedChunksAsync(CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Equal(0, await chunks.CountDocumentsAsync(c => c["files_id"] == abandoned));
        Assert.Equal(3, await chunks.CountDocumentsAsync(c => c["files_id"] == arriving));
        Assert.Equal("customer_id,order_date,amount\n"u8.ToArray(), await db.Files.DownloadAsBytesAsync(stored));
    }

    /// <summary>Makes <paramref name="uploadId"/> look as if its web process stopped before queuing it; returns the job it lost.</summary>
    private static async Task<string> StrandAsync(PortalWebFactory web, Guid uploadId)
    {
        var uploads = new PortalDb(web.Database).Uploads;
        var jobId = (await uploads.Find(u => u.Id == uploadId).SingleAsync()).JobId!;
        web.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId);
        await uploads.UpdateOneAsync(u => u.Id == uploadId, Builders<UploadDocument>.Update.Set(u => u.JobId, null));
        return jobId;
    }
}
