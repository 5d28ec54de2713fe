using System.Net;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Results;

/// <summary>Every results route is scoped to the owner: anyone else gets 404, as if the analysis did not exist.</summary>
[Trait("Category", "Integration")]
public sealed class ResultsIsolationTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private static readonly string[] Routes =
    [
        "/analyses/{0}/results",
        "/analyses/{0}/customers",
        "/analyses/{0}/customers/C000001",
        "/analyses/{0}/export/csv",
        "/analyses/{0}/export/xlsx",
        "/analyses/{0}/shares",
    ];

    [Fact]
    public async Task ResultRoutes_Owner_Succeed()
    {
        var (owner, ownerId) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 30);

        foreach (var route in Routes)
        {
            using var response = await owner.GetAsync(string.Format(route, uploadId));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task ResultRoutes_OtherUser_NotFound()
    {
        var (_, ownerId) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (stranger, _) = await ResultsTestData.NewUserAsync(factory, "stranger");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 30);

        foreach (var route in Routes)
        {
            using var response = await stranger.GetAsync(string.Format(route, uploadId));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task ResultsPage_SignedOut_RedirectsToLogin()
    {
        var (_, ownerId) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 5);

        using var response = await factory.CreatePortalClient().GetAsync($"/analyses/{uploadId}/results");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Identity/Account/Login", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharePosts_OtherUser_NotFoundAndLinkStaysActive()
    {
        var (owner, ownerId) = await ResultsTestData.NewUserAsync(factory, "owner");
        var (stranger, _) = await ResultsTestData.NewUserAsync(factory, "stranger");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 5);
        var shares = $"/analyses/{uploadId}/shares";
        (await PortalWebFactory.PostFormAsync(owner, shares, new Dictionary<string, string> { ["Input.ExpiryDays"] = "7" }, shares + "?handler=Create")).Dispose();
        var db = factory.Services.GetRequiredService<PortalDb>();
        var link = await db.ShareLinks.Find(s => s.UploadId == uploadId).SingleAsync();

        // The stranger has a valid antiforgery token of their own (from a page they may see) but not the analysis.
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(stranger, "/Identity/Account/Manage"));
        foreach (var (handler, extra) in new[] { ("Create", "Input.ExpiryDays=7"), ("Revoke", $"linkId={link.Id}") })
        {
            using var content = new StringContent($"{extra}&__RequestVerificationToken={Uri.EscapeDataString(token)}", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
            using var response = await stranger.PostAsync($"{shares}?handler={handler}", content);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{handler}: {(int)response.StatusCode}");
        }

        Assert.Null((await db.ShareLinks.Find(s => s.Id == link.Id).SingleAsync()).RevokedAt);
        Assert.Equal(1, await db.ShareLinks.CountDocumentsAsync(s => s.UploadId == uploadId));
    }
}
