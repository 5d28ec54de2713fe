using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ClvPortal.Bench;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;
using netDumbster.smtp;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Web.Jobs;

/// <summary>
/// A worker process killed outright (SIGKILL, as a lost machine) in the middle of an analysis: web and
/// workers are separate processes of the built portal against one MongoDB.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// Customers in the file, and orders of each (1 to twice this many): about 300,000 rows, so reading the
    /// file takes seconds (the kill lands in the middle), and thousands of results to save once more.
    /// </summary>
    private const int Customers = 5_000;

    private const int OrdersEach = 60;

    /// <summary>How long a dead worker's job waits before another worker takes it (Portal:Jobs:InvisibilityTimeout).</summary>
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnalyzeUpload_WorkerKilledMidAnalysis_NewWorkerFinishesItOnceWithCompleteResults()
    {
        using var smtp = SimpleSmtpServer.Start();
        var databaseName = MongoServerFixture.NewDatabaseName("crash");
        var database = MongoServerFixture.Instance.Database(databaseName);
        var db = new PortalDb(database);
        var settings = FleetTestKit.Settings(smtp);
        settings["Portal:Jobs:InvisibilityTimeout"] = InvisibilityTimeout.ToString();
        var processes = new List<PortalProcess>();
        try
        {
            await FleetTestKit.ShowOutputOnFailureAsync(processes, async () =>
            {
                var web = FleetTestKit.Start("web", "web", databaseName, settings);
                processes.Add(web);
                var worker = FleetTestKit.Start("worker-1", "worker", databaseName, settings);
                processes.Add(worker);
                await web.WaitUntilHealthyAsync(FleetTestKit.StartTimeout);
                var firstServer = await worker.WaitForJobServerAsync(FleetTestKit.StartTimeout);

                using var client = web.CreateClient();
                var email = PortalWebFactory.NewEmail("crash");
                using (var registered = await PortalWebFactory.SubmitRegisterAsync(client, email))
                {
                    Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
                }

                var csv = FleetTestKit.LongHistoryCsv(Customers, OrdersEach, seed: 7);
                var expected = FleetTestKit.Expected(csv);
                var clock = Stopwatch.StartNew();
                var id = await AnalysesTestKit.UploadOkAsync(client, "big.csv", csv);

                // Kill the worker in the middle of the analysis, once it has made some progress.
                var progress = await FleetTestKit.UploadAsync(database, id);
                await Poll.UntilAsync(
                    async () =>
                    {
                        progress = await FleetTestKit.UploadAsync(database, id);
                        return progress is { Status: UploadStatus.Running, Percent: >= 5 };
                    },
                    AnalysesTestKit.JobTimeout,
                    "the analysis to make progress");
                var killedAfter = clock.Elapsed;
                await worker.KillAsync();
                var killed = Stopwatch.StartNew();

                var orphan = await FleetTestKit.UploadAsync(database, id);
                Assert.Equal(UploadStatus.Running, orphan.Status);
                Assert.Equal(0, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));
                output.WriteLine($"killed worker-1 {killedAfter.TotalSeconds:0.0} s after the upload, at \"{orphan.Stage}\" {orphan.Percent}% ({csv.Length / 1e6:0.0} MB, {expected.Customers} customers)");

                var replacement = FleetTestKit.Start("worker-2", "worker", databaseName, settings);
                processes.Add(replacement);
                var secondServer = await replacement.WaitForJobServerAsync(FleetTestKit.StartTimeout);
                var registeredAfter = killed.Elapsed;
                await Poll.UntilAsync(
                    async () => (await FleetTestKit.UploadAsync(database, id)).Attempts == 2,
                    AnalysesTestKit.JobTimeout,
                    "worker-2 to take over the analysis");
                var resumedAfter = killed.Elapsed;

                await AnalysesTestKit.WaitForFinishAsync(database, id);
                var finishedAfter = killed.Elapsed;
                await FleetTestKit.WaitUntilJobsSettledAsync(database, AnalysesTestKit.JobTimeout);
                var upload = await FleetTestKit.UploadAsync(database, id);
                output.WriteLine(
                    $"worker-2 registered {registeredAfter.TotalSeconds:0.0} s after the kill, took the job over after {resumedAfter.TotalSeconds:0.0} s, " +
                    $"finished after {finishedAfter.TotalSeconds:0.0} s; whole test {clock.Elapsed.TotalSeconds:0.0} s");

                Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
                Assert.Equal(2, upload.Attempts);
                Assert.Equal([firstServer, secondServer], upload.Workers);

                // Complete and not duplicated: one result per customer of the file, revenue adding up to the file's.
                var results = await db.CustomerResults.Find(c => c.UploadId == id).Project(c => new { c.CustomerId, c.TotalRevenue }).ToListAsync();
                Assert.Equal(expected.Customers, results.Count);
                Assert.Equal(expected.Customers, results.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).Count());
                Assert.Equal(expected.Customers, upload.Customers);
                Assert.Equal(expected.Revenue, results.Sum(r => r.TotalRevenue), 2);
                Assert.Equal(expected.Revenue, upload.TotalRevenue!.Value, 2);
                var analysis = Assert.Single(await db.AnalysisResults.Find(a => a.Id == id).ToListAsync());
                Assert.Equal(expected.Customers, analysis.Customers);

                // Exactly one email, for the success.
                var message = Assert.Single(FleetTestKit.AnalysisEmails(smtp, email));
                Assert.Contains($"https://clv.example.test/Analyses/Results?id={id}", message.TextBody, StringComparison.Ordinal);
                Assert.Equal(UploadStatus.Succeeded, upload.EmailedFor);

                // The uploaded file is untouched.
                await using var file = await db.Files.OpenDownloadStreamAsync(upload.GridFsFileId);
                Assert.Equal(upload.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(csv)), upload.Sha256);
            });
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            await MongoServerFixture.Instance.Client.DropDatabaseAsync(databaseName);
        }
    }
}
