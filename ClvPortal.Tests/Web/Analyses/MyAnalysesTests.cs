using System.Net;
using System.Globalization;
using AngleSharp.Html.Parser;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>"My analyses", the status page and delete: what the owner sees, and that nobody else sees or deletes it.</summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class MyAnalysesTests
{
    [Fact]
    public async Task MyAnalyses_NoUploads_ShowsTheEmptyState()
    {
        await using var factory = new PortalWebFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("empty"));

        var page = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Index);

        Assert.NotNull(page.QuerySelector("#analyses-empty"));
        Assert.Null(page.QuerySelector("#analyses-table"));
    }

    [Fact]
    public async Task MyAnalyses_AfterAnAnalysis_ListsItWithReadableNumbers()
    {
        await using var factory = new PortalWebFactory();
        // No worker: the test writes the finished analysis' summary itself (the job is tested elsewhere).
        factory.Settings["Portal:Roles"] = "web";
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("list"));
        var csv = AnalysesTestKit.GeneratedCsv(200);
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop 2024.csv", csv);
        await new PortalDb(factory.Database).Uploads.UpdateOneAsync(
            u => u.Id == id,
            Builders<UploadDocument>.Update.Set(u => u.Status, UploadStatus.Succeeded).Set(u => u.Customers, 23570).Set(u => u.HeadlineClvTotal, 1234567.8));

        var html = await client.GetStringAsync(AnalysisLinks.Index);

        var row = new HtmlParser().ParseDocument(html).QuerySelector($"tr[data-upload-id='{id}']");
        Assert.NotNull(row);
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("shop 2024.csv", cells[0]);
        Assert.Equal("Ready", cells[1]);
        Assert.Equal((csv.Length / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB", cells[3]);
        Assert.Equal("23,570", cells[4]);
        Assert.Equal("$1,234,568", cells[5]);
        Assert.Equal(AnalysisLinks.Results(id), row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Status_AnotherUsersUpload_Is404ForPageProgressAndDelete()
    {
        await using var factory = new PortalWebFactory();
        // No worker: the upload stays queued, so the owner's status page renders instead of redirecting.
        factory.Settings["Portal:Roles"] = "web";
        using var owner = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("owner"));
        using var other = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("other"));
        var id = await AnalysesTestKit.UploadOkAsync(owner, "private.csv", AnalysesTestKit.GeneratedCsv(10));

        using var page = await other.GetAsync(AnalysisLinks.Status(id));
        using var progress = await other.GetAsync(AnalysisLinks.Status(id) + "&handler=Progress");
        using var delete = await PortalWebFactory.PostFormAsync(
            other, AnalysisLinks.New, new Dictionary<string, string> { ["id"] = id.ToString() }, AnalysisLinks.Index + "?handler=Delete");
        var othersList = await other.GetStringAsync(AnalysisLinks.Index);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, progress.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain("private.csv", othersList, StringComparison.Ordinal);
        Assert.Equal(1, await new PortalDb(factory.Database).Uploads.CountDocumentsAsync(u => u.Id == id));
        using var ownersPage = await owner.GetAsync(AnalysisLinks.Status(id));
        Assert.Equal(HttpStatusCode.OK, ownersPage.StatusCode);
        using var ownersProgress = await owner.GetAsync(AnalysisLinks.Status(id) + "&handler=Progress");
        Assert.Contains("\"status\":\"Queued\"", await ownersProgress.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Succeeded_RedirectsToTheResults()
    {
        await using var factory = new PortalWebFactory();
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(5));
        using var client = await SignUpAsync(app, "done");
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(5));
        await AnalysesTestKit.WaitForFinishAsync(factory, id);

        using var page = await client.GetAsync(AnalysisLinks.Status(id));
        using var progress = await client.GetAsync(AnalysisLinks.Status(id) + "&handler=Progress");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(AnalysisLinks.Results(id), page.Headers.Location!.ToString());
        var json = await progress.Content.ReadAsStringAsync();
        Assert.Contains("\"percent\":100", json, StringComparison.Ordinal);
        Assert.Contains($"\"resultsUrl\":\"{AnalysisLinks.Results(id)}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_OwnAnalysis_RemovesFileResultsCustomerResultsAndShareLinks()
    {
        await using var factory = new PortalWebFactory();
        var app = factory.WithPipeline(AnalysesTestKit.SucceedingPipeline(300));
        using var client = await SignUpAsync(app, "delete");
        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(10));
        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        var db = new PortalDb(factory.Database);
        await db.ShareLinks.InsertOneAsync(new ShareLinkDocument { UploadId = id, OwnerId = upload.OwnerId, TokenHash = "abc", CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddDays(7) });
        Assert.Equal(300, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));

        using var response = await PortalWebFactory.PostFormAsync(
            client, AnalysisLinks.Index, new Dictionary<string, string> { ["id"] = id.ToString() }, AnalysisLinks.Index + "?handler=Delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await db.Uploads.CountDocumentsAsync(u => u.Id == id));
        Assert.Equal(0, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));
        Assert.Equal(0, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
        Assert.Equal(0, await db.ShareLinks.CountDocumentsAsync(s => s.UploadId == id));
        var filter = Builders<BsonDocument>.Filter.Eq("_id", upload.GridFsFileId);
        Assert.Equal(0, await factory.Database.GetCollection<BsonDocument>("uploadFiles.files").CountDocumentsAsync(filter));
        Assert.Equal(0, await factory.Database.GetCollection<BsonDocument>("uploadFiles.chunks").CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("files_id", upload.GridFsFileId)));
        Assert.Contains("Deleted the analysis of shop.csv", await client.GetStringAsync(AnalysisLinks.Index), StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignUpAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string hint)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail(hint));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
