using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>An uploaded file's name is only ever a label: it never reaches the file system or the page as markup.</summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class UploadFileNameTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Upload_PathTraversalName_StoredAsBaseNameAndShownAsText()
    {
        using var client = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail("traversal"));

        var id = await AnalysesTestKit.UploadOkAsync(client, "../../etc/passwd.csv", AnalysesTestKit.GeneratedCsv(20));
        var hostile = await AnalysesTestKit.UploadOkAsync(client, "..\\..\\<img src=x onerror=alert(1)>.csv", AnalysesTestKit.GeneratedCsv(20));

        var uploads = new PortalDb(portal.Database).Uploads;
        var stored = await uploads.Find(u => u.Id == id).SingleAsync();
        Assert.Equal("passwd.csv", stored.FileName);
        var storedHostile = await uploads.Find(u => u.Id == hostile).SingleAsync();
        Assert.DoesNotContain("..", storedHostile.FileName, StringComparison.Ordinal);
        Assert.DoesNotContain("\\", storedHostile.FileName, StringComparison.Ordinal);

        var list = await client.GetStringAsync("/Analyses");
        Assert.Contains("passwd.csv", list, StringComparison.Ordinal);
        Assert.DoesNotContain("../", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", list, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.csv", list, StringComparison.Ordinal);
    }
}
