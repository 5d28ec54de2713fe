using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Parser;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>Uploads through the real endpoint, generated transaction files, and a stand-in pipeline for tests about the job's plumbing.</summary>
internal static class AnalysesTestKit
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Posts a file the way upload.js does: the page's antiforgery token in the header, settings first, the file last.</summary>
    public static Task<HttpResponseMessage> UploadAsync(
        HttpClient client, string fileName, byte[] content, IReadOnlyDictionary<string, string>? fields = null, bool withToken = true) =>
        UploadAsync(client, fileName, new ByteArrayContent(content), fields, withToken);

    /// <summary>As above, with the file as any content (a stream generated as it is sent, or one that breaks off).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        HttpClient client, string fileName, HttpContent file, IReadOnlyDictionary<string, string>? fields = null, bool withToken = true, CancellationToken ct = default)
    {
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, "/Analyses/New"));
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }

        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, UploadForm.FileField, fileName);
        return await PostAsync(client, form, withToken ? token : null, ct);
    }

    /// <summary>The upload form as <see cref="UploadAsync(HttpClient, string, HttpContent, IReadOnlyDictionary{string, string}?, bool, CancellationToken)"/> sends it, as bytes (to send a part of).</summary>
    public static async Task<(byte[] Body, MediaTypeHeaderValue ContentType)> FormBytesAsync(string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, UploadForm.FileField, fileName);
        return (await form.ReadAsByteArrayAsync(), form.Headers.ContentType!);
    }

    /// <summary>Posts any body to the upload endpoint with the antiforgery token of a freshly loaded upload page.</summary>
    public static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client, HttpContent body, CancellationToken ct = default) =>
        await PostAsync(client, body, PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, "/Analyses/New")), ct);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent body, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadEndpoint.Route) { Content = body };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return await client.SendAsync(request, ct);
    }

    /// <summary>Uploads and returns the new upload's id, failing the test when the upload is refused.</summary>
    public static async Task<Guid> UploadOkAsync(HttpClient client, string fileName, byte[] content, IReadOnlyDictionary<string, string>? fields = null)
    {
        using var response = await UploadAsync(client, fileName, content, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Upload returned {(int)response.StatusCode}: {body}");
        var accepted = System.Text.Json.JsonSerializer.Deserialize<UploadAccepted>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(AnalysisLinks.Status(accepted.Id), accepted.StatusUrl);
        return accepted.Id;
    }

    /// <summary>
    /// A shop's export: <paramref name="customers"/> customers, each buying 1 to 6 times over two years,
    /// with amounts of 10 to 200. Deterministic for a <paramref name="seed"/>, so a failure reproduces.
    /// </summary>
    public static byte[] GeneratedCsv(int customers, bool withDate = true, int seed = 42)
    {
        var random = new Random(seed);
        var text = new StringBuilder(withDate ? "customer_id,order_date,amount\n" : "customer_id,amount\n");
        var start = new DateOnly(2023, 1, 1);
        for (var c = 1; c <= customers; c++)
        {
            var orders = 1 + random.Next(6);
            for (var o = 0; o < orders; o++)
            {
                var amount = (10 + (random.NextDouble() * 190)).ToString("0.00", CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"C{c:D5},");
                if (withDate)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{start.AddDays(random.Next(730)):yyyy-MM-dd},");
                }

                text.Append(amount).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static Task<UploadDocument> WaitForFinishAsync(PortalWebFactory factory, Guid uploadId) =>
        WaitForFinishAsync(factory.Database, uploadId);

    public static async Task<UploadDocument> WaitForFinishAsync(IMongoDatabase database, Guid uploadId)
    {
        var uploads = new PortalDb(database).Uploads;
        UploadDocument? upload = null;
        await Poll.UntilAsync(
            async () =>
            {
                upload = await uploads.Find(u => u.Id == uploadId).FirstOrDefaultAsync();
                return upload is { Status: UploadStatus.Succeeded or UploadStatus.Failed };
            },
            JobTimeout,
            $"the analysis of upload {uploadId} to finish");
        return upload!;
    }

    /// <summary>The same app with the Core pipeline replaced, for tests about what the job does around it.</summary>
    public static WebApplicationFactory<Program> WithPipeline(this PortalWebFactory factory, PipelineRunner pipeline) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(pipeline)));

    /// <summary>A pipeline that reads nothing and reports <paramref name="customers"/> customers with predictions.</summary>
    public static PipelineRunner SucceedingPipeline(int customers) => new((_, _, _, progress, _) =>
    {
        progress?.Report(new PipelineProgress(PipelineStage.Models, 50));
        var features = Enumerable.Range(1, customers)
            .Select(i => new CustomerFeatures($"C{i:D5}", i % 4, 10, 100, 25, 50 + i, 1 + (i % 4), new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)))
            .ToList();
        var predictions = features
            .Select(f => new CustomerPrediction(f.CustomerId, 10, 1, 0.8, 25, f.TotalRevenue / 10, 5, f.TotalRevenue / 10, ValueTier.Bottom50, false))
            .ToList();
        var result = new PipelineResult(
            new FileDescription("csv", "utf-8", ",", false, [], ["customer_id", "order_date", "amount"], new ColumnMapping(), DateOrder.Auto, "ISO dates"),
            new CleaningReport(customers, customers, []),
            features,
            new DashboardAggregates([], [], []),
            new ModelingResult("baseline", "test", 365, [], null, null, predictions, []),
            TimeSpan.Zero);
        return PipelineOutcome.Success(result);
    });

    public static PipelineRunner ThrowingPipeline() => new((_, _, _, _, _) => throw new InvalidOperationException("Simulated crash inside the pipeline."));

    /// <summary>The text of an element of a page, or null.</summary>
    public static async Task<string?> TextOfAsync(HttpClient client, string path, string selector)
    {
        var html = await client.GetStringAsync(path);
        return new HtmlParser().ParseDocument(html).QuerySelector(selector)?.TextContent;
    }
}
