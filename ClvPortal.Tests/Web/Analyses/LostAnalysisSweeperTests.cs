using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// Uploads whose analysis job failed for good, was deleted or vanished do not stay "Queued" or "Running"
/// for ever: the workers' recurring job marks them failed, and the owner gets one email.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class LostAnalysisSweeperTests
{
    [Fact]
    public async Task Sweep_JobDeletedOrVanished_UploadFailsWithTheMessageAndOneEmail()
    {
        using var smtp = SimpleSmtpServer.Start();
        await using var web = new PortalWebFactory();
        // No worker: the uploads' jobs wait in the queue until the test deletes one and loses the other.
        web.Settings["Portal:Roles"] = "web";
        web.Settings["Portal:Jobs:InvisibilityTimeout"] = "00:00:05";
        var email = PortalWebFactory.NewEmail("lost");
        using var client = await web.RegisterAndLogInAsync(email);
        var deleted = await AnalysesTestKit.UploadOkAsync(client, "deleted.csv", AnalysesTestKit.GeneratedCsv(5));
        var vanished = await AnalysesTestKit.UploadOkAsync(client, "vanished.csv", AnalysesTestKit.GeneratedCsv(6));
        var uploads = new PortalDb(web.Database).Uploads;
        var jobs = web.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.True(jobs.Delete((await uploads.Find(u => u.Id == deleted).SingleAsync()).JobId!));
        // Vanished: the upload names a job the storage no longer has (expired, or its collections were lost).
        Assert.True(jobs.Delete((await uploads.Find(u => u.Id == vanished).SingleAsync()).JobId!));
        await uploads.UpdateOneAsync(u => u.Id == vanished, Builders<UploadDocument>.Update.Set(u => u.JobId, ObjectId.GenerateNewId().ToString()));
        // Past the invisibility timeout: no worker can still be writing to them.
        await Task.Delay(TimeSpan.FromSeconds(6));

        await using var worker = PortalWebFactory.SharingDatabaseOf(web);
        worker.Settings["Portal:Roles"] = "worker";
        worker.Settings["Portal:Jobs:InvisibilityTimeout"] = "00:00:05";
        worker.UseSmtp(smtp.Configuration.Port);
        var storage = worker.Services.GetRequiredService<JobStorage>();
        await Poll.UntilAsync(
            () =>
            {
                using var connection = storage.GetConnection();
                return Task.FromResult(connection.GetRecurringJobs().Any(j => j.Id == LostAnalysisSweeper.RecurringJobId));
            },
            AnalysesTestKit.JobTimeout,
            "the worker to register the recurring job");
        // Its next minutely run, now.
        worker.Services.GetRequiredService<IRecurringJobManager>().Trigger(LostAnalysisSweeper.RecurringJobId);
        await AnalysesTestKit.WaitForFinishAsync(web, deleted);
        await AnalysesTestKit.WaitForFinishAsync(web, vanished);
        // Another run (or another worker's) finds nothing left to do.
        Assert.Equal(0, await worker.Services.GetRequiredService<LostAnalysisSweeper>().SweepAsync(CancellationToken.None));

        foreach (var id in new[] { deleted, vanished })
        {
            var upload = await uploads.Find(u => u.Id == id).SingleAsync();
            Assert.Equal(UploadStatus.Failed, upload.Status);
            Assert.Equal(AnalyzeUploadJob.GenericError, upload.Error);
            Assert.Equal(AnalyzeUploadJob.GenericWhatToDo, upload.ErrorWhatToDo);
        }

        await EmailTestKit.WaitForEmailAsync(smtp, email, m => m.Subject?.Contains("vanished.csv", StringComparison.Ordinal) == true);
        await EmailTestKit.WaitForEmailAsync(smtp, email, m => m.Subject?.Contains("deleted.csv", StringComparison.Ordinal) == true);
        await Jobs.FleetTestKit.WaitUntilJobsSettledAsync(web.Database, AnalysesTestKit.JobTimeout);
        Assert.Equal(2, Jobs.FleetTestKit.AnalysisEmails(smtp, email).Count);
    }

    [Fact]
    public async Task SweepAsync_JobStillQueuedOrDeletedMomentsAgo_LeavesTheUploadsAlone()
    {
        await using var web = new PortalWebFactory();
        web.Settings["Portal:Roles"] = "web";
        web.Settings["Portal:Jobs:InvisibilityTimeout"] = "00:00:05";
        using var client = await web.RegisterAndLogInAsync(PortalWebFactory.NewEmail("alive"));
        var queued = await AnalysesTestKit.UploadOkAsync(client, "queued.csv", AnalysesTestKit.GeneratedCsv(5));
        await Task.Delay(TimeSpan.FromSeconds(6));
        var justDeleted = await AnalysesTestKit.UploadOkAsync(client, "young.csv", AnalysesTestKit.GeneratedCsv(5));
        var uploads = new PortalDb(web.Database).Uploads;
        web.Services.GetRequiredService<IBackgroundJobClient>().Delete((await uploads.Find(u => u.Id == justDeleted).SingleAsync()).JobId!);

        var finished = await web.Services.GetRequiredService<LostAnalysisSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, finished);
        Assert.Equal(2, await uploads.CountDocumentsAsync(u => (u.Id == queued || u.Id == justDeleted) && u.Status == UploadStatus.Queued));
    }
}
