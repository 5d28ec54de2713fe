using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The analysis job around the pipeline (a stand-in pipeline here, so these tests are about the job):
/// re-runs, crashes and a mail server that is down.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class AnalyzeUploadJobTests
{
    [Fact]
    public async Task RunAsync_RunTwice_ReplacesTheResultsWithoutDuplicates()
    {
        await using var factory = new PortalWebFactory();
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(500));
        using var client = await SignUpAsync(app, "twice");
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, id)).Status);

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnalyzeUploadJob>().RunAsync(id, null, CancellationToken.None);
        }

        var db = new PortalDb(factory.Database);
        Assert.Equal(500, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
        Assert.Equal(1, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));
        var upload = await db.Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.Succeeded, upload.Status);
        Assert.Equal(500, upload.Customers);
        Assert.Equal(2, upload.Attempts);
    }

    [Fact]
    public async Task RunAsync_RunAgainAfterItFinishedAndEmailed_OwnerGetsOneEmail()
    {
        // A worker that dies after the analysis finished, before Hangfire recorded the success: Hangfire
        // runs the job again, which finishes again and enqueues a second email job.
        using var smtp = SimpleSmtpServer.Start();
        await using var factory = new PortalWebFactory();
        factory.UseSmtp(smtp.Configuration.Port);
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(40));
        var email = PortalWebFactory.NewEmail("rerun");
        using var client = await SignUpAsync(app, email);
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, id)).Status);
        await EmailTestKit.WaitForEmailAsync(smtp, email);

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnalyzeUploadJob>().RunAsync(id, null, CancellationToken.None);
        }

        await Jobs.FleetTestKit.WaitUntilJobsSettledAsync(factory.Database, AnalysesTestKit.JobTimeout);
        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(2, upload.Attempts);
        Assert.Single(Jobs.FleetTestKit.AnalysisEmails(smtp, email));
        Assert.Equal(UploadStatus.Succeeded, upload.EmailedFor);
    }

    [Fact]
    public async Task RunAsync_AnAttemptDiedWhileSavingResults_ReplacesItsPartialResults()
    {
        await using var factory = new PortalWebFactory();
        // No worker: the upload stays queued, and the test plays both attempts.
        factory.Settings["Portal:Roles"] = "web";
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(300));
        using var client = await SignUpAsync(app, "partial");
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));
        var db = new PortalDb(factory.Database);
        var upload = await db.Uploads.Find(u => u.Id == id).FirstAsync();

        // What a worker killed while saving leaves: the upload running, some customers stored, no aggregates.
        await db.Uploads.UpdateOneAsync(u => u.Id == id, Builders<UploadDocument>.Update
            .Set(u => u.Status, UploadStatus.Running).Set(u => u.Attempts, 1).Push(u => u.Workers, "dead-host:1:0"));
        await db.CustomerResults.InsertManyAsync(Enumerable.Range(1, 120).Select(i => new CustomerResultDocument
        {
            UploadId = id,
            OwnerId = upload.OwnerId,
            CustomerId = $"C{i:D5}",
            TotalRevenue = -1,
        }));

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnalyzeUploadJob>().RunAsync(id, null, CancellationToken.None);
        }

        var ids = await db.CustomerResults.Find(c => c.UploadId == id).Project(c => c.CustomerId).ToListAsync();
        Assert.Equal(300, ids.Count);
        Assert.Equal(300, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(0, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id && c.TotalRevenue < 0));
        Assert.Equal(1, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));
        var finished = await db.Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.Succeeded, finished.Status);
        Assert.Equal(2, finished.Attempts);
        Assert.Equal(["dead-host:1:0", AnalyzeUploadJob.WorkerName(null)], finished.Workers);
    }

    [Fact]
    public async Task RunAsync_PipelineCrashesOnTheLastAttempt_MarksTheUploadFailedWithAGenericMessage()
    {
        await using var factory = new PortalWebFactory();
        // No worker: the test runs the job itself, as Hangfire's last attempt would.
        factory.Settings["Portal:Roles"] = "web";
        var app = factory.WithPipeline(AnalysesTestKit.ThrowingPipeline());
        using var client = await SignUpAsync(app, "crash");
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));

        using (var scope = app.Services.CreateScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<AnalyzeUploadJob>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => job.RunAsync(id, null, CancellationToken.None));
        }

        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.Equal(AnalyzeUploadJob.GenericError, upload.Error);
        Assert.Equal(AnalyzeUploadJob.GenericWhatToDo, upload.ErrorWhatToDo);
        Assert.DoesNotContain("Simulated", upload.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MongoDbGoesAwayDuringTheLastAttempt_UploadEndsFailedWithOneEmail()
    {
        using var smtp = SimpleSmtpServer.Start();
        await using var web = new PortalWebFactory();
        // No worker here: the upload waits, queued, while the test makes its job the last attempt.
        web.Settings["Portal:Roles"] = "web";
        var email = PortalWebFactory.NewEmail("outage");
        using var client = await web.RegisterAndLogInAsync(email);
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));
        var jobId = (await new PortalDb(web.Database).Uploads.Find(u => u.Id == id).SingleAsync()).JobId!;
        using (var connection = web.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            // What Hangfire's retry filter records before the last of its retries.
            connection.SetJobParameter(jobId, "RetryCount", AnalyzeUploadJob.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // A worker whose MongoDB (data and job storage alike) goes away once the analysis has computed its results.
        using var outage = new MongoOutage(MongoServerFixture.Instance.ConnectionString);
        await using var worker = PortalWebFactory.SharingDatabaseOf(web);
        worker.Settings["Portal:Roles"] = "worker";
        worker.Settings["ConnectionStrings:Mongo"] = outage.ConnectionString;
        worker.UseSmtp(smtp.Configuration.Port);
        var computes = AnalysesTestKit.SucceedingPipeline(20);
        var app = worker.WithPipeline(new PipelineRunner((input, fileName, options, progress, ct) =>
        {
            outage.Cut();
            return computes.Run(input, fileName, options, progress, ct);
        }));
        _ = app.Services;

        await Poll.UntilAsync(() => Task.FromResult(outage.CutAt is not null), AnalysesTestKit.JobTimeout, "the analysis to reach its results");
        await Task.Delay(TimeSpan.FromSeconds(3));
        outage.Restore();

        var upload = await AnalysesTestKit.WaitForFinishAsync(web, id);
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.Equal(AnalyzeUploadJob.GenericError, upload.Error);
        Assert.Equal(AnalyzeUploadJob.GenericWhatToDo, upload.ErrorWhatToDo);
        var message = await EmailTestKit.WaitForEmailAsync(smtp, email);
        Assert.Contains("failed", message.Subject, StringComparison.Ordinal);
        await Jobs.FleetTestKit.WaitUntilJobsSettledAsync(web.Database, AnalysesTestKit.JobTimeout);
        Assert.Single(Jobs.FleetTestKit.AnalysisEmails(smtp, email));
    }

    [Fact]
    public async Task Upload_MailServerDown_AnalysisStillSucceeds()
    {
        await using var factory = new PortalWebFactory();
        factory.UseSmtp(ClosedPort());
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(40));
        using var client = await SignUpAsync(app, "nosmtp");

        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.Equal(UploadStatus.Succeeded, upload.Status);
        Assert.Equal(40, await new PortalDb(factory.Database).CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
    }

    [Fact]
    public async Task Upload_Succeeds_OwnerGetsAnEmailWithTheAbsoluteResultsLink()
    {
        using var smtp = SimpleSmtpServer.Start();
        await using var factory = new PortalWebFactory();
        factory.UseSmtp(smtp.Configuration.Port);
        factory.Settings["Portal:PublicBaseUrl"] = "https://clv.example.test/";
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(40));
        var email = PortalWebFactory.NewEmail("mail");
        using var client = await SignUpAsync(app, email);

        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));

        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, id)).Status);
        var message = await EmailTestKit.WaitForEmailAsync(smtp, email);
        Assert.Contains("is ready", message.Subject, StringComparison.Ordinal);
        Assert.Contains($"https://clv.example.test/Analyses/Results?id={id}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://clv.example.test/Analyses/Results?id={id}\"", message.HtmlBody, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignUpAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string emailOrHint)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var email = emailOrHint.Contains('@', StringComparison.Ordinal) ? emailOrHint : PortalWebFactory.NewEmail(emailOrHint);
        using var response = await PortalWebFactory.SubmitRegisterAsync(client, email);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
