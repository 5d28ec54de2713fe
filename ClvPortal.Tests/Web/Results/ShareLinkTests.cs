using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Results;

[Trait("Category", "Integration")]
public sealed class ShareLinkTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Share_NewLink_ShowsTheDashboardSignedOutWithoutExportsOrAccountLinks()
    {
        var (link, uploadId, _) = await CreateLinkAsync();

        var page = await PortalWebFactory.GetPageAsync(factory.CreatePortalClient(), link);

        Assert.NotNull(page.QuerySelector("[data-kpi=clv-total]"));
        var data = JsonDocument.Parse(page.QuerySelector("#dashboard-data")!.TextContent).RootElement;
        Assert.True(data.GetProperty("monthly").GetProperty("revenue").GetArrayLength() > 0);
        Assert.Empty(page.QuerySelectorAll("a[href*='/export/']"));
        Assert.Empty(page.QuerySelectorAll("a[href*='/Identity/'], a[href*='/customers']"));
        Assert.DoesNotContain(uploadId.ToString(), page.Source.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Share_StoredLink_HoldsOnlyTheTokensHash()
    {
        var (link, uploadId, _) = await CreateLinkAsync();
        var token = link[(link.LastIndexOf('/') + 1)..];

        var stored = await Db.ShareLinks.Find(s => s.UploadId == uploadId).SingleAsync();

        Assert.Equal(ShareTokens.Hash(token), stored.TokenHash);
        Assert.DoesNotContain(token, stored.ToString(), StringComparison.Ordinal);
        Assert.True(token.Length * 6 >= 128);
    }

    [Fact]
    public async Task Share_RevokedLink_NotFoundWithAPageSayingItWasSwitchedOffAndWhomToAsk()
    {
        var (link, uploadId, owner) = await CreateLinkAsync();
        var stored = await Db.ShareLinks.Find(s => s.UploadId == uploadId).SingleAsync();
        var shares = $"/analyses/{uploadId}/shares";

        (await PortalWebFactory.PostFormAsync(owner, shares, new Dictionary<string, string> { ["linkId"] = stored.Id.ToString() }, shares + "?handler=Revoke")).Dispose();

        using var response = await factory.CreatePortalClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var why = await UnavailableTextAsync(response);
        Assert.Contains("switched it off", why, StringComparison.Ordinal);
        Assert.Contains("Ask the person who shared it", why, StringComparison.Ordinal);
        Assert.Contains("revoked", (await PortalWebFactory.GetPageAsync(owner, shares)).QuerySelector("table[data-table=shares]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Share_ExpiredLink_NotFoundWithAPageSayingItExpiredAndWhomToAsk()
    {
        var (_, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 5);
        var (link, token) = ShareTokens.NewLink(uploadId, ownerId, DateTime.UtcNow.AddDays(-8), DateTime.UtcNow.AddMinutes(-1));
        await Db.ShareLinks.InsertOneAsync(link);

        using var response = await factory.CreatePortalClient().GetAsync($"/s/{token}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var why = await UnavailableTextAsync(response);
        Assert.Contains($"expired on {NumberFormats.Date(DateTime.UtcNow.AddMinutes(-1))}", why, StringComparison.Ordinal);
        Assert.Contains("Ask the person who shared it", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Share_UnknownToken_NotFoundWithAPageSayingTheLinkLeadsNowhere(string token)
    {
        using var response = await factory.CreatePortalClient().GetAsync($"/s/{token}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not lead to any shared results", await UnavailableTextAsync(response), StringComparison.Ordinal);
    }

    /// <summary>The explanation of a share page that shows no results.</summary>
    private static async Task<string> UnavailableTextAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync())
            .QuerySelector("[data-share-unavailable]")?.TextContent
        ?? throw new Xunit.Sdk.XunitException("The page does not explain why the link shows no results.");

    private PortalDb Db => factory.Services.GetRequiredService<PortalDb>();

    /// <summary>The owner creates a 7-day link through the Shares page; returns its path (/s/...), the upload and the owner's client.</summary>
    private async Task<(string Link, Guid UploadId, HttpClient Owner)> CreateLinkAsync()
    {
        var (owner, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 25);
        var shares = $"/analyses/{uploadId}/shares";

        using var created = await PortalWebFactory.PostFormAsync(owner, shares, new Dictionary<string, string> { ["Input.ExpiryDays"] = "7" }, shares + "?handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await PortalWebFactory.GetPageAsync(owner, shares);
        var link = new Uri(page.QuerySelector<IHtmlInputElement>("#new-link")!.Value);
        return (link.PathAndQuery, uploadId, owner);
    }
}
