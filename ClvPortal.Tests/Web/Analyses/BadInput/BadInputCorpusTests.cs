using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Web.Analyses.BadInput;

/// <summary>
/// Every file of <see cref="BadInputCorpus"/> uploaded through the portal by one user who already has a
/// finished analysis: each must end in a specific message (refused at upload, or a failed analysis that
/// says what is wrong) or a correct result, with no 500, no generic "error on our side", no error in the
/// logs, and the earlier analysis untouched. Prints the tally (run with
/// <c>--logger "console;verbosity=detailed"</c> to see it).
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class BadInputCorpusTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Upload_EveryCorpusFile_EndsInASpecificMessageOrACorrectResult()
    {
        var corpus = BadInputCorpus.All();
        Assert.True(corpus.Count >= 30, $"The corpus has {corpus.Count} files.");
        Assert.Equal(corpus.Count, corpus.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());

        var logs = new CapturedLogs();
        await using var factory = new PortalWebFactory();
        var app = factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using (var registered = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("corpus")))
        {
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        var db = new PortalDb(factory.Database);
        var earlierId = await AnalysesTestKit.UploadOkAsync(client, "earlier.csv", AnalysesTestKit.GeneratedCsv(40));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, earlierId)).Status);
        // Its email job records on the upload that the owner was told: the snapshot is taken after that.
        await Jobs.FleetTestKit.WaitUntilJobsSettledAsync(factory.Database, AnalysesTestKit.JobTimeout);
        var earlierBefore = await SnapshotAsync(db, earlierId);

        var clock = Stopwatch.StartNew();
        var runs = new List<Run>();
        foreach (var file in corpus)
        {
            runs.Add(await UploadAsync(client, file));
        }

        foreach (var run in runs)
        {
            await FinishAsync(db, client, run, logs);
        }

        var elapsed = clock.Elapsed;
        var problems = runs.SelectMany(r => r.Problems.Select(p => $"{r.File.Name}: {p}")).ToList();

        // Nothing else the user stored was touched, and nothing of a refused upload was kept.
        await Jobs.FleetTestKit.WaitUntilJobsSettledAsync(factory.Database, AnalysesTestKit.JobTimeout);
        var earlierAfter = await SnapshotAsync(db, earlierId);
        if (earlierAfter != earlierBefore)
        {
            problems.Add("The earlier analysis changed (upload, GridFS file or results).");
        }

        var accepted = runs.Count(r => r.UploadId is not null) + 1;
        var uploads = await db.Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty);
        var files = await factory.Database.GetCollection<BsonDocument>("uploadFiles.files").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        var fileIds = await db.Uploads.Find(FilterDefinition<UploadDocument>.Empty).Project(u => u.GridFsFileId).ToListAsync();
        var strayChunks = await factory.Database.GetCollection<BsonDocument>("uploadFiles.chunks").CountDocumentsAsync(Builders<BsonDocument>.Filter.Nin("files_id", fileIds));
        if (uploads != accepted || files != accepted || strayChunks != 0)
        {
            problems.Add($"Stored {uploads} uploads and {files} GridFS files for {accepted} accepted uploads, and {strayChunks} chunks of no upload.");
        }

        // Every file name, whatever it holds, is shown as text on the list of analyses.
        var list = await CheckPageAsync(client, "/Analyses", problems);
        if (list?.QuerySelector("img[onerror]") is not null)
        {
            problems.Add("A file name was rendered as HTML on the list of analyses.");
        }
        var failedJobs = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().FailedCount();
        if (failedJobs != 0)
        {
            problems.Add($"Hangfire holds {failedJobs} failed jobs.");
        }

        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        problems.AddRange(errors.Select(e => $"Logged: {e}"));

        PrintTally(runs, logs, elapsed);
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join("\n", problems));
    }

    private static async Task<Run> UploadAsync(HttpClient client, BadInputFile file)
    {
        var run = new Run(file);
        var started = Stopwatch.StartNew();
        await using var stream = file.Open();
        // The in-memory test server never ends the response of a request whose body failed; a real client
        // gets its connection closed. Such uploads are given up on after a while (the server logs what it did).
        using var giveUp = new CancellationTokenSource(file.Expected is BreaksOff ? TimeSpan.FromSeconds(10) : Timeout.InfiniteTimeSpan);
        try
        {
            using var response = file.BodyCutAt is { } cut
                ? await PostCutBodyAsync(client, file, stream, cut, run)
                : await AnalysesTestKit.UploadAsync(client, file.Name, new StreamContent(stream), file.Fields, ct: giveUp.Token);
            run.Size = file.BodyCutAt is null ? stream.Position : run.Size;
            run.Status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                run.UploadId = JsonSerializer.Deserialize<UploadAccepted>(body, Json)!.Id;
            }
            else if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                var error = JsonSerializer.Deserialize<UploadError>(body, Json)!;
                (run.Message, run.WhatToDo) = (error.Message, error.WhatToDo);
            }
            else
            {
                run.Message = body.Length > 300 ? body[..300] : body;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            run.Size = stream.Position;
            run.ClientError = $"{e.GetType().Name}: {e.Message}";
        }

        run.UploadSeconds = started.Elapsed.TotalSeconds;
        return run;
    }

    /// <summary>Sends the first part of the upload form, as a client whose request ends mid-file does.</summary>
    private static async Task<HttpResponseMessage> PostCutBodyAsync(HttpClient client, BadInputFile file, Stream stream, double cut, Run run)
    {
        using var whole = new MemoryStream();
        await stream.CopyToAsync(whole);
        var (body, contentType) = await AnalysesTestKit.FormBytesAsync(file.Name, whole.ToArray());
        run.Size = (long)(body.Length * cut);
        using var part = new ByteArrayContent(body, 0, (int)run.Size);
        part.Headers.ContentType = contentType;
        return await AnalysesTestKit.PostUploadAsync(client, part);
    }

    /// <summary>Waits for an accepted upload's analysis, then holds the outcome against what the corpus expects.</summary>
    private static async Task FinishAsync(PortalDb db, HttpClient client, Run run, CapturedLogs logs)
    {
        var started = Stopwatch.StartNew();
        if (run.UploadId is { } id)
        {
            try
            {
                await Infrastructure.Poll.UntilAsync(
                    async () =>
                    {
                        run.Upload = await db.Uploads.Find(u => u.Id == id).FirstOrDefaultAsync();
                        // A retry means the job threw: an unhandled error, whatever the last attempt says.
                        return run.Upload is { Status: UploadStatus.Succeeded or UploadStatus.Failed } || run.Upload?.Attempts > 1;
                    },
                    AnalysesTestKit.JobTimeout,
                    $"the analysis of {run.File.Name}");
            }
            catch (TimeoutException e)
            {
                run.Problems.Add(e.Message);
            }

            (run.Message, run.WhatToDo) = (run.Upload?.Error, run.Upload?.ErrorWhatToDo);
            if (run.Upload?.Attempts > 1)
            {
                run.Problems.Add($"The analysis job threw and was retried ({run.Upload.Stage}).");
            }

            run.AnalysisSeconds = started.Elapsed.TotalSeconds;
            await CheckStatusPageAsync(client, run);
        }

        switch (run.File.Expected)
        {
            case RefusedAtUpload refused:
                JudgeRefused(run, refused);
                break;
            case BreaksOff:
                JudgeBrokenOff(run, logs);
                break;
            case FailsWithMessage fails:
                await JudgeFailedAsync(db, run, fails);
                break;
            case SucceedsWith succeeds:
                await JudgeSucceededAsync(db, client, run, succeeds);
                break;
        }
    }

    private static void JudgeRefused(Run run, RefusedAtUpload expected)
    {
        if (run.UploadId is not null)
        {
            run.Problems.Add($"Accepted; expected a refusal ({(int)expected.Status}).");
            return;
        }

        if (run.Status != (int)expected.Status)
        {
            run.Problems.Add($"Answered {run.Status?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}; expected {(int)expected.Status}.");
        }

        CheckMessage(run, expected.Phrases);
    }

    private static void JudgeBrokenOff(Run run, CapturedLogs logs)
    {
        if (run.UploadId is not null || run.ClientError is null)
        {
            run.Problems.Add($"The upload ended {run.Status} ({run.UploadId}); expected the dropped connection to fail it.");
        }

        var warning = logs.Entries.FirstOrDefault(e => e.Category == typeof(UploadEndpoint).FullName && e.Message.Contains(run.File.Name, StringComparison.Ordinal));
        if (warning is not { Level: LogLevel.Warning } || !warning.Message.Contains("broke off", StringComparison.Ordinal))
        {
            run.Problems.Add($"The app did not log a warning that the upload broke off ({warning}).");
        }

        run.Message = warning?.Message;
    }

    private static async Task JudgeFailedAsync(PortalDb db, Run run, FailsWithMessage expected)
    {
        if (run.UploadId is not { } id)
        {
            run.Problems.Add($"Refused at upload ({run.Status}); expected the analysis to fail with a message.");
            return;
        }

        if (run.Upload?.Status != UploadStatus.Failed)
        {
            run.Problems.Add($"Ended {run.Upload?.Status}; expected the analysis to fail with a message.");
            return;
        }

        CheckMessage(run, expected.Phrases);
        if (await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id) + await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id) != 0)
        {
            run.Problems.Add("A failed analysis left results behind.");
        }
    }

    private static async Task JudgeSucceededAsync(PortalDb db, HttpClient client, Run run, SucceedsWith expected)
    {
        if (run.UploadId is not { } id || run.Upload?.Status != UploadStatus.Succeeded)
        {
            run.Problems.Add(run.UploadId is null
                ? $"Refused at upload ({run.Status}); expected a result."
                : $"Ended {run.Upload?.Status}; expected a result.");
            return;
        }

        var customers = expected.Customers();
        var revenue = customers.Sum(c => c.Revenue);
        if (run.Upload.Customers != customers.Count || !Close(run.Upload.TotalRevenue ?? double.NaN, revenue))
        {
            run.Problems.Add($"{run.Upload.Customers} customers and revenue {run.Upload.TotalRevenue:R}; expected {customers.Count} and {revenue:R}.");
        }

        var analysis = await db.AnalysisResults.Find(a => a.Id == id).FirstOrDefaultAsync();
        if (analysis is null)
        {
            run.Problems.Add("No results document.");
            return;
        }

        var applied = analysis.Cleaning.Rules.Where(r => r.Rows > 0).ToDictionary(r => r.Rule, r => r.Rows);
        var expectedRules = expected.Rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}");
        var appliedRules = applied.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}");
        if (!expectedRules.SequenceEqual(appliedRules))
        {
            run.Problems.Add($"Cleaning applied [{string.Join(", ", appliedRules)}]; expected [{string.Join(", ", expectedRules)}].");
        }

        var stored = (await db.CustomerResults.Find(c => c.UploadId == id).ToListAsync()).ToDictionary(c => c.CustomerId, StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            if (!stored.Remove(customer.Id, out var found))
            {
                run.Problems.Add($"Customer \"{Short(customer.Id)}\" is missing.");
            }
            else if (DateOnly.FromDateTime(found.FirstPurchase) != customer.FirstPurchase
                || DateOnly.FromDateTime(found.LastPurchase) != customer.LastPurchase
                || !Close(found.TotalRevenue, customer.Revenue))
            {
                run.Problems.Add($"Customer \"{Short(customer.Id)}\": {found.FirstPurchase:yyyy-MM-dd}..{found.LastPurchase:yyyy-MM-dd} revenue {found.TotalRevenue:R}; " +
                    $"expected {customer.FirstPurchase:yyyy-MM-dd}..{customer.LastPurchase:yyyy-MM-dd} revenue {customer.Revenue:R}.");
            }
        }

        run.Problems.AddRange(stored.Keys.Take(5).Select(k => $"Unexpected customer \"{Short(k)}\"."));

        await CheckPageAsync(client, $"/analyses/{id}/results", run.Problems);
        var table = await CheckPageAsync(client, $"/analyses/{id}/customers", run.Problems);
        foreach (var link in table?.QuerySelectorAll("table.customers-table tbody a").OfType<IHtmlAnchorElement>().Take(3) ?? [])
        {
            var page = await CheckPageAsync(client, link.GetAttribute("href")!, run.Problems);
            if (page is not null && !page.Body!.TextContent.Contains(link.TextContent, StringComparison.Ordinal))
            {
                run.Problems.Add($"The page of customer \"{Short(link.TextContent)}\" does not show the customer.");
            }
        }

        if (expected.ExportContains.Count > 0)
        {
            using var export = await client.GetAsync(new Uri($"/analyses/{id}/export/csv", UriKind.Relative));
            var csv = await export.Content.ReadAsStringAsync();
            run.Problems.AddRange(expected.ExportContains.Where(text => !csv.Contains(text, StringComparison.Ordinal)).Select(text => $"The CSV export lacks {text}."));
        }
    }

    private static void CheckMessage(Run run, string[] phrases)
    {
        var text = $"{run.Message} {run.WhatToDo}";
        if (string.IsNullOrWhiteSpace(run.Message) || string.IsNullOrWhiteSpace(run.WhatToDo))
        {
            run.Problems.Add("The message or what to do is missing.");
        }

        if (run.Message == AnalyzeUploadJob.GenericError)
        {
            run.Problems.Add("Ended with the generic error.");
        }

        run.Problems.AddRange(phrases.Where(p => !text.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => $"The message does not mention \"{p}\"."));
    }

    /// <summary>GETs a page that must answer 200 (and show <paramref name="mustShow"/>); returns it parsed, or null after noting the problem.</summary>
    private static async Task<IHtmlDocument?> CheckPageAsync(HttpClient client, string path, List<string> problems, string? mustShow = null)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            problems.Add($"GET {Short(path)} answered {(int)response.StatusCode}.");
            return null;
        }

        var page = new HtmlParser().ParseDocument(html);
        if (mustShow is not null && !page.Body!.TextContent.Contains(mustShow, StringComparison.Ordinal))
        {
            problems.Add($"GET {Short(path)} does not show \"{mustShow}\".");
        }

        return page;
    }

    /// <summary>The status page shows a failure's message, and moves a finished analysis on to its results.</summary>
    private static async Task CheckStatusPageAsync(HttpClient client, Run run)
    {
        var path = AnalysisLinks.Status(run.UploadId!.Value);
        if (run.Upload?.Status != UploadStatus.Succeeded)
        {
            await CheckPageAsync(client, path, run.Problems, run.Upload?.Error);
            return;
        }

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("results", StringComparison.OrdinalIgnoreCase) != true)
        {
            run.Problems.Add($"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}; expected a redirect to the results.");
        }
    }

    /// <summary>The earlier analysis as stored: upload document, GridFS file and chunks, results and customers.</summary>
    private static async Task<string> SnapshotAsync(PortalDb db, Guid id)
    {
        var key = new BsonBinaryData(id, GuidRepresentation.Standard);
        var database = db.Database;
        var upload = await database.GetCollection<BsonDocument>("uploads").Find(new BsonDocument("_id", key)).SingleAsync();
        var fileId = (await db.Uploads.Find(u => u.Id == id).SingleAsync()).GridFsFileId;
        var file = await database.GetCollection<BsonDocument>("uploadFiles.files").Find(new BsonDocument("_id", fileId)).SingleAsync();
        var chunks = await database.GetCollection<BsonDocument>("uploadFiles.chunks").Find(new BsonDocument("files_id", fileId)).Sort(new BsonDocument("n", 1)).ToListAsync();
        var analysis = await database.GetCollection<BsonDocument>("analysisResults").Find(new BsonDocument("_id", key)).SingleAsync();
        var customers = await database.GetCollection<BsonDocument>("customerResults").Find(new BsonDocument("uploadId", key)).Sort(new BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(40, customers.Count);
        return new BsonArray { upload, file, new BsonArray(chunks), analysis, new BsonArray(customers) }.ToJson();
    }

    private void PrintTally(List<Run> runs, CapturedLogs logs, TimeSpan elapsed)
    {
        output.WriteLine($"{"file",-36} {"size",11} {"seconds",8}  {"outcome",-22} message | what to do");
        foreach (var run in runs)
        {
            var message = run.Message is null ? "" : $"{run.Message} | {run.WhatToDo}";
            var seconds = (run.UploadSeconds + run.AnalysisSeconds).ToString("0.0", CultureInfo.InvariantCulture);
            output.WriteLine($"{(run.File.Name.Length > 36 ? run.File.Name[..33] + "..." : run.File.Name),-36} {NumberFormats.Size(run.Size),11} {seconds,8}  {run.Outcome,-22} {message}");
            foreach (var problem in run.Problems)
            {
                output.WriteLine($"{"",59}NOT AS EXPECTED: {problem}");
            }
        }

        var errors = runs.Count(r => r.Outcome == "ERROR") + logs.Entries.Count(e => e.Level >= LogLevel.Error);
        output.WriteLine("");
        output.WriteLine($"{runs.Count} files: {runs.Count(r => r.Outcome.StartsWith("refused", StringComparison.Ordinal) || r.Outcome.StartsWith("broke off", StringComparison.Ordinal))} refused at upload, " +
            $"{runs.Count(r => r.Outcome == "failed with a message")} failed with a message, {runs.Count(r => r.Outcome == "succeeded")} succeeded, " +
            $"{errors} errors; {runs.Count(r => r.Problems.Count > 0)} not as expected; {elapsed.TotalSeconds:0} s.");
        // Besides the mailer's notes that it sends nothing (no SMTP host in tests): what the app logged.
        foreach (var entry in logs.Entries.Where(e => !e.Category.StartsWith("ClvPortal.Web.Email", StringComparison.Ordinal)))
        {
            output.WriteLine($"log: {entry}");
        }
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected));

    private static string Short(string text) => text.Length > 60 ? text[..57] + "..." : text;

    private sealed class Run(BadInputFile file)
    {
        public BadInputFile File { get; } = file;

        public long Size { get; set; }

        public int? Status { get; set; }

        public Guid? UploadId { get; set; }

        public UploadDocument? Upload { get; set; }

        public string? Message { get; set; }

        public string? WhatToDo { get; set; }

        /// <summary>What the client saw when the request itself failed (the connection dropped).</summary>
        public string? ClientError { get; set; }

        public double UploadSeconds { get; set; }

        public double AnalysisSeconds { get; set; }

        public List<string> Problems { get; } = [];

        public string Outcome => this switch
        {
            { ClientError: not null, File.Expected: BreaksOff, Problems.Count: 0 } => "broke off (nothing kept)",
            { Status: >= 500 } or { Status: null } => "ERROR",
            { UploadId: null } => $"refused ({Status})",
            { Upload: null } or { Upload.Attempts: > 1 } => "ERROR",
            { Upload.Status: UploadStatus.Succeeded } => "succeeded",
            { Upload.Status: UploadStatus.Failed } when Upload.Error != AnalyzeUploadJob.GenericError => "failed with a message",
            _ => "ERROR",
        };
    }
}
