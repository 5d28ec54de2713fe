using System.Net;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Tests.Web.Businesses;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// Businesses and track records attacked by another signed-in owner: their pages, rename and delete answer 404 as for
/// a missing one, and another owner's business id on the upload form stores nothing.
/// </summary>
[Collection(AnalysesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BusinessAttackTests
{
    private static PortalWebFactory WebOnly()
    {
        // No worker: uploads stay queued; these tests are about who may see and change what.
        var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        return factory;
    }

    [Fact]
    public async Task BusinessPage_AnotherOwnersBusiness_Is404ForPageRenameAndDelete()
    {
        await using var factory = WebOnly();
        var (owner, _) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (intruder, _) = await ResultsTestData.NewUserAsync(factory, "intruder");
        var uploadId = await AnalysesTestKit.UploadOkAsync(owner, "secret.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Secret Shop"));
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, uploadId)).BusinessId!.Value;
        var page = $"/businesses/{businessId}";
        var ownTokenPage = "/Analyses/New";

        using var get = await intruder.GetAsync(page);
        using var rename = await PortalWebFactory.PostFormAsync(intruder, ownTokenPage, new Dictionary<string, string> { ["Input.Name"] = "Pwned" }, page + "?handler=Rename");
        using var delete = await PortalWebFactory.PostFormAsync(intruder, ownTokenPage, new Dictionary<string, string>(), page + "?handler=Delete");
        var intrudersList = await intruder.GetStringAsync("/Analyses/New");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain("Secret Shop", intrudersList, StringComparison.Ordinal);
        var business = await new PortalDb(factory.Database).Businesses.Find(b => b.Id == businessId).FirstAsync();
        Assert.Equal("Secret Shop", business.Name);
        using var ownersPage = await owner.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, ownersPage.StatusCode);
    }

    [Fact]
    public async Task Upload_AnotherOwnersBusinessId_IsRefusedAndStoresNothing()
    {
        await using var factory = WebOnly();
        var (owner, _) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (intruder, intruderId) = await ResultsTestData.NewUserAsync(factory, "intruder");
        var ownersUpload = await AnalysesTestKit.UploadOkAsync(owner, "mine.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.NewBusiness("Owner's Shop"));
        var ownersBusiness = (await BusinessTestKit.UploadAsync(factory.Database, ownersUpload)).BusinessId!.Value;

        using var response = await AnalysesTestKit.UploadAsync(intruder, "sneaky.csv", AnalysesTestKit.GeneratedCsv(10), BusinessTestKit.Into(ownersBusiness));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The business you picked is not one of yours.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var db = new PortalDb(factory.Database);
        Assert.Equal(0, await db.Uploads.CountDocumentsAsync(u => u.OwnerId == intruderId));
        Assert.Equal(1, await db.Uploads.CountDocumentsAsync(u => u.BusinessId == ownersBusiness));
        var files = factory.Database.GetCollection<BsonDocument>("uploadFiles.files");
        Assert.Equal(0, await files.CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("metadata.ownerId", intruderId)));
    }

    [Fact]
    public async Task TrackRecordPage_AnotherOwnersRecord_Is404AndTheOwnerSeesIt()
    {
        await using var factory = WebOnly();
        var (owner, ownerId) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (intruder, _) = await ResultsTestData.NewUserAsync(factory, "intruder");
        var earlier = await AnalysesTestKit.UploadOkAsync(owner, "earlier.csv", AnalysesTestKit.GeneratedCsv(10));
        var later = await AnalysesTestKit.UploadOkAsync(owner, "later.csv", AnalysesTestKit.GeneratedCsv(10));
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, later)).BusinessId!.Value;
        await BusinessTestKit.StoreRecordAsync(factory.Database, ownerId, businessId, later, earlier);
        var page = $"/analyses/{later}/track-record/{earlier}";

        using var intruders = await intruder.GetAsync(page);
        using var owners = await owner.GetAsync(page);

        Assert.Equal(HttpStatusCode.NotFound, intruders.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owners.StatusCode);
        var html = await owners.Content.ReadAsStringAsync();
        Assert.Contains("they spent $920, 8% less than expected.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("920", await intruders.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
