using System.Net;
using AngleSharp.Html.Parser;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Businesses;

/// <summary>Businesses as an owner meets them: picked or named on the upload form, listed, renamed, deleted when empty.</summary>
[Collection(AnalysesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BusinessesTests
{
    private static PortalWebFactory WebOnly()
    {
        // No worker: the uploads stay queued; these tests are about where they go.
        var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        return factory;
    }

    [Fact]
    public async Task Upload_SameNewNameInAnotherCase_GoesToOneBusiness()
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "names");

        var first = await AnalysesTestKit.UploadOkAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Corner Shop"));
        var second = await AnalysesTestKit.UploadOkAsync(client, "b.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("  corner   SHOP "));

        var businesses = await new PortalDb(factory.Database).Businesses.Find(b => b.OwnerId == ownerId).ToListAsync();
        var business = Assert.Single(businesses);
        Assert.Equal("Corner Shop", business.Name);
        Assert.Equal(business.Id, (await BusinessTestKit.UploadAsync(factory.Database, first)).BusinessId);
        Assert.Equal(business.Id, (await BusinessTestKit.UploadAsync(factory.Database, second)).BusinessId);
    }

    [Fact]
    public async Task Upload_NoBusinessChosen_GoesToMyBusiness()
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "default");

        var id = await AnalysesTestKit.UploadOkAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10));

        var business = await new PortalDb(factory.Database).Businesses.Find(b => b.OwnerId == ownerId).SingleAsync();
        Assert.Equal(BusinessNames.Default, business.Name);
        Assert.Equal(business.Id, (await BusinessTestKit.UploadAsync(factory.Database, id)).BusinessId);
    }

    [Theory]
    [InlineData("   ", "The new business has no name.")]
    [InlineData("A name far too long for a business because it goes on and on and on", "at most 60 fit")]
    public async Task Upload_BadNewName_IsRefusedWithTheReasonAndStoresNothing(string name, string message)
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "badname");

        using var response = await AnalysesTestKit.UploadAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness(name));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var db = new PortalDb(factory.Database);
        Assert.Equal(0, await db.Uploads.CountDocumentsAsync(u => u.OwnerId == ownerId));
        Assert.Equal(0, await db.Businesses.CountDocumentsAsync(b => b.OwnerId == ownerId));
        Assert.Equal(0, await factory.Database.GetCollection<BsonDocument>("uploadFiles.files").CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("metadata.ownerId", ownerId)));
    }

    [Fact]
    public async Task MyAnalyses_UploadsFromBeforeBusinesses_JoinMyBusinessAndTheSampleShop()
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "legacy");
        var db = new PortalDb(factory.Database);
        UploadDocument Legacy(string name, bool sample) => new() { Id = Guid.NewGuid(), OwnerId = ownerId, FileName = name, IsSample = sample, Status = UploadStatus.Failed, CreatedAt = DateTime.UtcNow };
        var own = Legacy("old-own.csv", false);
        var sample = Legacy("old-sample.csv", true);
        await db.Uploads.InsertManyAsync([own, sample]);

        // Two pages at once, as two web processes would: one business each, not two.
        await Task.WhenAll(client.GetStringAsync(AnalysisLinks.Index), client.GetStringAsync(AnalysisLinks.New));
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(AnalysisLinks.Index));

        var businesses = await db.Businesses.Find(b => b.OwnerId == ownerId).ToListAsync();
        Assert.Equal([BusinessNames.Default, BusinessNames.Sample], businesses.Select(b => b.Name).Order());
        Assert.Equal(businesses.Single(b => b.Name == BusinessNames.Default).Id, (await BusinessTestKit.UploadAsync(factory.Database, own.Id)).BusinessId);
        Assert.Equal(businesses.Single(b => b.Name == BusinessNames.Sample).Id, (await BusinessTestKit.UploadAsync(factory.Database, sample.Id)).BusinessId);
        var links = page.QuerySelectorAll("#businesses a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(businesses.Select(b => TrackRecordLinks.Business(b.Id)).Order(), links.Order());
    }

    [Fact]
    public async Task BusinessPage_DeleteWithAnalyses_IsRefusedAndAnEmptyOneIsDeleted()
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "delbiz");
        var uploadId = await AnalysesTestKit.UploadOkAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Busy Shop"));
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, uploadId)).BusinessId!.Value;
        var page = TrackRecordLinks.Business(businessId);
        var db = new PortalDb(factory.Database);

        using var refused = await PortalWebFactory.PostFormAsync(client, page, new Dictionary<string, string>(), page + "?handler=Delete");
        var refusedPage = new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(
            "Busy Shop still has 1 analysis. Delete it in My analyses first: only an empty business can be deleted.",
            refusedPage.QuerySelector("[data-problem]")!.TextContent.Trim());
        Assert.Equal(1, await db.Businesses.CountDocumentsAsync(b => b.Id == businessId));

        Assert.True(await UploadDeletion.DeleteAsync(db, new ResultWriter(db, TimeProvider.System), ownerId, uploadId, CancellationToken.None));
        using var deleted = await PortalWebFactory.PostFormAsync(client, page, new Dictionary<string, string>(), page + "?handler=Delete");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await db.Businesses.CountDocumentsAsync(b => b.Id == businessId));
        Assert.Contains("Deleted the business Busy Shop.", await client.GetStringAsync(AnalysisLinks.Index), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusinessPage_Rename_ChangesTheNameButNotToAnotherBusinessesName()
    {
        await using var factory = WebOnly();
        var (client, _) = await ResultsTestData.NewUserAsync(factory, "rename");
        var a = await AnalysesTestKit.UploadOkAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("First Shop"));
        await AnalysesTestKit.UploadOkAsync(client, "b.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Second Shop"));
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, a)).BusinessId!.Value;
        var page = TrackRecordLinks.Business(businessId);

        using var clash = await PortalWebFactory.PostFormAsync(client, page, new Dictionary<string, string> { ["Input.Name"] = "second shop" }, page + "?handler=Rename");
        var clashPage = new HtmlParser().ParseDocument(await clash.Content.ReadAsStringAsync());
        using var renamed = await PortalWebFactory.PostFormAsync(client, page, new Dictionary<string, string> { ["Input.Name"] = " Flagship  Shop " }, page + "?handler=Rename");

        Assert.StartsWith("You already have a business called", clashPage.QuerySelector("[data-problem]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var shown = new HtmlParser().ParseDocument(await client.GetStringAsync(page));
        Assert.Equal("Flagship Shop", shown.QuerySelector("[data-business-name]")!.TextContent);
    }

    [Fact]
    public async Task DeleteUpload_DropsTheTrackRecordsItIsPartOf()
    {
        await using var factory = WebOnly();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "droprec");
        var first = await AnalysesTestKit.UploadOkAsync(client, "1.csv", AnalysesTestKit.GeneratedCsv(10));
        var second = await AnalysesTestKit.UploadOkAsync(client, "2.csv", AnalysesTestKit.GeneratedCsv(10));
        var third = await AnalysesTestKit.UploadOkAsync(client, "3.csv", AnalysesTestKit.GeneratedCsv(10));
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, first)).BusinessId!.Value;
        await BusinessTestKit.StoreRecordAsync(factory.Database, ownerId, businessId, second, first);
        await BusinessTestKit.StoreRecordAsync(factory.Database, ownerId, businessId, third, second);
        await BusinessTestKit.StoreRecordAsync(factory.Database, ownerId, businessId, third, first);

        using var response = await PortalWebFactory.PostFormAsync(
            client, AnalysisLinks.Index, new Dictionary<string, string> { ["id"] = second.ToString() }, AnalysisLinks.Index + "?handler=Delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var left = await new PortalDb(factory.Database).TrackRecords.Find(t => t.OwnerId == ownerId).ToListAsync();
        Assert.Equal([(third, first)], left.Select(t => (t.LaterUploadId, t.EarlierUploadId)));
    }

    [Fact]
    public async Task OlderFileAnalysedAfterANewerOne_BusinessPageListsByDataPeriodAndBothPagesSayToUploadTheNewerAgain()
    {
        await using var factory = new PortalWebFactory();
        var (client, _) = await ResultsTestData.NewUserAsync(factory, "order");
        var rows = BusinessTestKit.Shop(customers: 120, newCustomers: 5);
        var newer = await AnalysesTestKit.UploadOkAsync(client, "newer.csv", BusinessTestKit.Csv(rows), BusinessTestKit.NewBusiness("Corner Shop", horizonMonths: 3));
        await AnalysesTestKit.WaitForFinishAsync(factory, newer);
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, newer)).BusinessId!.Value;
        var older = await AnalysesTestKit.UploadOkAsync(client, "older.csv", BusinessTestKit.Csv(rows.Where(r => r.Date.Year == 2023)), BusinessTestKit.Into(businessId, horizonMonths: 3));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, older)).Status);

        var page = await PortalWebFactory.GetPageAsync(client, TrackRecordLinks.Business(businessId));

        Assert.Equal([older.ToString(), newer.ToString()], page.QuerySelectorAll("#business-analyses tbody tr").Select(r => r.GetAttribute("data-upload-id")));
        Assert.Contains("newer.csv has newer data but was analysed first", page.QuerySelector($"tr[data-upload-id='{older}'] [data-checked]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await new PortalDb(factory.Database).TrackRecords.CountDocumentsAsync(FilterDefinition<TrackRecordDocument>.Empty));
        var olderResults = await PortalWebFactory.GetPageAsync(client, $"/analyses/{older}/results");
        Assert.Contains("Upload newer.csv again", olderResults.QuerySelector("[data-note=newer-analysed-first]")!.TextContent, StringComparison.Ordinal);
        var newerResults = await PortalWebFactory.GetPageAsync(client, $"/analyses/{newer}/results");
        Assert.Null(newerResults.QuerySelector("[data-note=newer-analysed-first]"));
    }

    [Fact]
    public async Task NewPage_BusinessAskedFor_IsPickedAndOthersOwnersAreNeverOffered()
    {
        await using var factory = WebOnly();
        var (client, _) = await ResultsTestData.NewUserAsync(factory, "pick");
        var (other, _) = await ResultsTestData.NewUserAsync(factory, "other");
        var first = await AnalysesTestKit.UploadOkAsync(client, "a.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("First Shop"));
        await AnalysesTestKit.UploadOkAsync(client, "b.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Second Shop"));
        var othersUpload = await AnalysesTestKit.UploadOkAsync(other, "c.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Other's Shop"));
        var firstBusiness = (await BusinessTestKit.UploadAsync(factory.Database, first)).BusinessId!.Value;
        var othersBusiness = (await BusinessTestKit.UploadAsync(factory.Database, othersUpload)).BusinessId!.Value;

        var latest = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.New);
        var asked = await PortalWebFactory.GetPageAsync(client, $"{AnalysisLinks.New}?business={firstBusiness}");
        var othersAsked = await PortalWebFactory.GetPageAsync(client, $"{AnalysisLinks.New}?business={othersBusiness}");

        static string Picked(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("#BusinessId option[selected]")!.TextContent;
        Assert.Equal("Second Shop", Picked(latest));
        Assert.Equal("First Shop", Picked(asked));
        Assert.Equal("Second Shop", Picked(othersAsked));
        Assert.Equal(["First Shop", "Second Shop", "A new business…"], othersAsked.QuerySelectorAll("#BusinessId option").Select(o => o.TextContent));
    }
}
