using System.Diagnostics;
using System.Net;
using ClvPortal.Bench;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;
using netDumbster.smtp;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Web.Jobs;

/// <summary>
/// A fleet: one web process and several worker processes of the built portal against one MongoDB.
/// Every upload is analysed exactly once, by one of the workers, and the work spreads over them.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class WorkerFleetTests(ITestOutputHelper output)
{
    private const int WorkerProcesses = 3;

    private const int Users = 3;

    private const int UploadsPerUser = 10;

    [Fact]
    public async Task AnalyzeUpload_ThirtyUploadsThreeWorkers_EachAnalysedOnceByOneWorkerWithOneEmail()
    {
        using var smtp = SimpleSmtpServer.Start();
        var databaseName = MongoServerFixture.NewDatabaseName("fleet");
        var database = MongoServerFixture.Instance.Database(databaseName);
        var db = new PortalDb(database);
        var settings = FleetTestKit.Settings(smtp);
        // One job at a time per process: three processes then share the queue, as three small machines would.
        settings["Portal:Jobs:WorkerCount"] = "1";
        var processes = new List<PortalProcess>();
        try
        {
            await FleetTestKit.ShowOutputOnFailureAsync(processes, async () =>
            {
                var clock = Stopwatch.StartNew();
                var web = FleetTestKit.Start("web", "web", databaseName, settings);
                processes.Add(web);
                var workers = Enumerable.Range(1, WorkerProcesses)
                    .Select(i => FleetTestKit.Start($"worker-{i}", "worker", databaseName, settings))
                    .ToList();
                processes.AddRange(workers);
                await web.WaitUntilHealthyAsync(FleetTestKit.StartTimeout);
                var servers = new List<string>();
                foreach (var worker in workers)
                {
                    servers.Add(await worker.WaitForJobServerAsync(FleetTestKit.StartTimeout));
                }

                var started = clock.Elapsed;

                // Three users, ten files each, every file different (its own customers and amounts).
                var uploads = new List<(Guid Id, string Email, (int Customers, double Revenue) Expected)>();
                for (var u = 0; u < Users; u++)
                {
                    using var client = web.CreateClient();
                    var email = PortalWebFactory.NewEmail($"fleet{u}");
                    using (var registered = await PortalWebFactory.SubmitRegisterAsync(client, email))
                    {
                        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
                    }

                    for (var f = 0; f < UploadsPerUser; f++)
                    {
                        var n = uploads.Count;
                        var csv = AnalysesTestKit.GeneratedCsv(20 + n, seed: 1000 + n);
                        uploads.Add((await AnalysesTestKit.UploadOkAsync(client, $"shop-{n}.csv", csv), email, FleetTestKit.Expected(csv)));
                    }
                }

                var uploaded = clock.Elapsed;
                var ids = uploads.Select(x => x.Id).ToList();
                await Poll.UntilAsync(
                    async () => await db.Uploads.CountDocumentsAsync(x => ids.Contains(x.Id) && (x.Status == UploadStatus.Succeeded || x.Status == UploadStatus.Failed)) == ids.Count,
                    AnalysesTestKit.JobTimeout,
                    $"all {ids.Count} analyses to finish");
                var finished = clock.Elapsed;
                await FleetTestKit.WaitUntilJobsSettledAsync(database, AnalysesTestKit.JobTimeout);

                var documents = (await db.Uploads.Find(x => ids.Contains(x.Id)).ToListAsync()).ToDictionary(x => x.Id);
                foreach (var (id, email, expected) in uploads)
                {
                    var upload = documents[id];
                    Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.FileName}: {upload.Status} {upload.Error} {upload.ErrorWhatToDo}");
                    Assert.Equal(1, upload.Attempts);
                    var worker = Assert.Single(upload.Workers);
                    Assert.Contains(worker, servers);
                    Assert.Equal(expected.Customers, upload.Customers);
                    Assert.Equal(expected.Revenue, upload.TotalRevenue!.Value, 2);
                    Assert.Equal(expected.Customers, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
                    Assert.Equal(1, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));
                    var link = $"https://clv.example.test/Analyses/Results?id={id}";
                    Assert.Single(FleetTestKit.AnalysisEmails(smtp, email), m => m.TextBody?.Contains(link, StringComparison.Ordinal) == true);
                }

                // One email per upload and no other.
                Assert.Equal(ids.Count, uploads.Select(x => x.Email).Distinct().Sum(e => FleetTestKit.AnalysisEmails(smtp, e).Count));
                var perWorker = documents.Values.GroupBy(x => x.Workers.Single()).ToDictionary(g => g.Key, g => g.Count());
                output.WriteLine(
                    $"{WorkerProcesses} workers up after {started.TotalSeconds:0.0} s; {ids.Count} uploads in {(uploaded - started).TotalSeconds:0.0} s; " +
                    $"all analysed {(finished - uploaded).TotalSeconds:0.0} s later; analyses per worker: {string.Join(", ", servers.Select(s => perWorker.GetValueOrDefault(s)))}; whole test {clock.Elapsed.TotalSeconds:0.0} s");
                Assert.True(perWorker.Count >= 2, $"Every analysis ran on one worker process: {string.Join(", ", perWorker)}");
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
